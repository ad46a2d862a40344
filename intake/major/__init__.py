"""Major cases (要情, docs/domain.md §12): which reports are major, telling the level above,
and the list each office keeps of the major cases of the regions below it."""
