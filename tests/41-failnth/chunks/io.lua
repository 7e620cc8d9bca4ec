-- io on a /tmp file and require() of a Lua module from /lib/modules/lua
local f = assert(io.open("/tmp/failnth.txt", "w"))
assert(f:write("hello\n", 42, "\n", string.rep("z", 3000), "\n"))
assert(f:close())
local n = 0
for l in io.lines("/tmp/failnth.txt") do n = n + #l end
assert(n == 5 + 2 + 3000)
f = assert(io.open("/tmp/failnth.txt"))
assert(f:read("l") == "hello")
assert(f:read("n") == 42)
assert(#f:read("a") == 3002)
f:close()
local m = require("failnth_mod")
assert(m.answer(1) == 42)
assert(package.loaded.failnth_mod == m)
local ok, e = pcall(require, "failnth_missing")
assert(not ok)
if e:find("not enough memory") then error(e, 0) end
print("failnth-done")
