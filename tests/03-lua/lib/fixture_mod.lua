-- Fixture for 16-require.lua: counts how often its body runs.
fixture_mod_runs = (fixture_mod_runs or 0) + 1
local name, path = ...
return {name = name, path = path, answer = 42}
