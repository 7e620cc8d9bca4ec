-- Fixture for 16-require.lua: fails while running.
fixture_err_runs = (fixture_err_runs or 0) + 1
error("fixture boom", 0)
