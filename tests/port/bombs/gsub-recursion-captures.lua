-- expect: stack overflow|error in error handling
local function f(s) return (s:gsub("((((((((((((((((.))))))))))))))))", f)) end
return f("ab")
