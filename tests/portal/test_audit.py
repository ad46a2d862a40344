from sqlalchemy import delete, select, update

from portal.audit import AuditEntry, record, verify_chain


def fill(db, n=4):
    for i in range(n):
        record(db, "test.action", actor="cli", subject=f"thing:{i}", details={"i": i})
    db.commit()


def test_intact_chain_verifies(db):
    fill(db)
    assert verify_chain(db) is None


def test_altered_entry_is_named(db):
    fill(db)
    db.execute(update(AuditEntry).where(AuditEntry.sequence == 2).values(subject="thing:99"))
    db.commit()
    problem = verify_chain(db)
    assert (problem.sequence, problem.reason) == (2, "contents altered")


def test_removed_entry_is_named(db):
    fill(db)
    db.execute(delete(AuditEntry).where(AuditEntry.sequence == 3))
    db.commit()
    assert verify_chain(db).sequence == 3


def test_reordered_entries_are_detected(db):
    fill(db)
    a, b = db.scalars(
        select(AuditEntry).where(AuditEntry.sequence.in_([2, 3])).order_by(AuditEntry.sequence)
    ).all()
    a.sequence, b.sequence = -2, -3
    db.flush()
    a.sequence, b.sequence = 3, 2
    db.commit()
    assert verify_chain(db).sequence == 2


def test_each_entry_names_its_predecessor(db):
    fill(db, 2)
    first, second = db.scalars(select(AuditEntry).order_by(AuditEntry.sequence)).all()
    assert second.prev_hash == first.entry_hash


def test_staff_operations_are_audited(app, fresh):
    app.test_cli_runner().invoke(args=["create-recovery-key"])
    actions = fresh().scalars(select(AuditEntry.action)).all()
    assert actions == ["recovery_key.created"]


def test_verify_audit_command_exits_non_zero_naming_the_entry(app, db):
    fill(db)
    db.execute(update(AuditEntry).where(AuditEntry.sequence == 2).values(details_json='{"i": 7}'))
    db.commit()
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 1 and "entry 2" in result.output


def test_verify_audit_command_accepts_an_intact_chain(app, db):
    fill(db)
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0 and "intact" in result.output
