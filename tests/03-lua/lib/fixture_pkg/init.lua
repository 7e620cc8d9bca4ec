-- Fixture for 16-require.lua: a package found through ?/init.lua; it
-- requires its own submodule.
local sub = require "fixture_pkg.sub"
return {kind = "package", sub = sub}
