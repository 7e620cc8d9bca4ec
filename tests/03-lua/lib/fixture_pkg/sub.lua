-- Fixture for 16-require.lua: submodule fixture_pkg.sub.
return "submodule"
