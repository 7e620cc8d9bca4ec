-- expect: stack overflow|error in error handling
local function f() coroutine.wrap(f)() end
f()
