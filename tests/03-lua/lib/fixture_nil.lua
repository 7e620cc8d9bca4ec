-- Fixture for 16-require.lua: returns nothing.
fixture_nil_ran = true
