"""newsterm's tests; a package so that `tests.support.loopback` can be imported and run with -m."""
