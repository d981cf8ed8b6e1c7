"""Pure domain rules: USCC, administrative regions, working days. No Qt, no SQL, no I/O."""
