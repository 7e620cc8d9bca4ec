-- expect: stack overflow|error in error handling
local function f() return assert(load(f)) end
f()
