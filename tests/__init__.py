"""newsterm's tests; a package so that `tests.loopback` can be imported and run with -m."""
