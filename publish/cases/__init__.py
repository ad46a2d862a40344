"""Typical cases (典型案例): drafting, publishing by another person, corrections, withdrawal, public pages."""
