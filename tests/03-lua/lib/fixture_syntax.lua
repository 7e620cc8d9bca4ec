-- Fixture for 16-require.lua: does not compile.
return = 1
