-- load: text chunks, environments, modes, readers, chunk names; binary
-- chunks are refused whatever the mode.
local T = require "ktap"

T.test("basic", function()
	local f = load("return 1 + 1")
	T.eq(f(), 2)
	T.eq(load("local a, b = ... return b")(1, 2), 2)
	T.eq(select("#", load("")()), 0)
end)

T.test("syntax-error", function()
	local f, e = load("return +", "=bad")
	T.eq(f, nil)
	T.ok(e:find("^bad:1: unexpected symbol"), e)
	f, e = load("x = = 1")
	T.eq(f, nil)
	T.ok(e:find('^%[string "x = = 1"%]:1:'), e)
end)

T.test("chunknames", function()
	T.eq(select(2, load("error('e')", "=plain")) , nil)
	local _, e = pcall(load("error('e')", "=plain"))
	T.eq(e, "plain:1: e")
	_, e = pcall(load("\nerror('e')", "@path/x.lua"))
	T.eq(e, "path/x.lua:2: e")
	_, e = pcall(load("error('e')"))
	T.eq(e, '[string "error(\'e\')"]:1: e')
	_, e = pcall(load("local x\nerror('e')"))
	T.eq(e, '[string "local x..."]:2: e')
end)

T.test("env", function()
	local env = {x = 5}
	local f = load("y = x * 2 return x", "=env", "t", env)
	T.eq(f(), 5)
	T.eq(env.y, 10)
	T.eq(rawget(_G, "y"), nil, "global table untouched")
	local g = load("return print", "=g", "t", {})
	T.eq(g(), nil)
end)

T.test("env-local", function()
	local function f()
		local _ENV = {z = 3}
		return z
	end
	T.eq(f(), 3)
	local mt_env = setmetatable({}, {__index = _G})
	T.eq(load("return type", "=m", "t", mt_env)(), type)
end)

T.test("reader", function()
	local parts = {"return ", "1", " + ", "41"}
	local i = 0
	local f = load(function() i = i + 1 return parts[i] end)
	T.eq(f(), 42)
	local once = false
	f = load(function()
		if once then return "" end
		once = true
		return "return 'x'"
	end)
	T.eq(f(), "x", "empty string ends the chunk")
	local g, msg = load(function() return {} end)
	T.eq(g, nil)
	T.ok(msg:find("reader function must return a string"), msg)
	local _, e = load(function() error("rd", 0) end)
	T.eq(e, "rd")
end)

T.test("mode-t", function()
	T.eq(load("return 7", "=t", "t")(), 7)
	T.eq(load("return 7", "=t", "bt")(), 7)
	local f, e = load("return 7", "=t", "b")
	T.eq(f, nil)
	T.ok(e:find("attempt to load a text chunk"), e)
end)

T.test("binary-header-refused", function()
	local fake = "\27Lua\x54\0\x19\x93\r\n\x1a\n\4\8\8"
	for _, mode in ipairs{"b", "bt", "t"} do
		local f, e = load(fake, "=bin", mode)
		T.eq(f, nil, mode)
		T.eq(type(e), "string")
	end
	T.eq(load("\27", "=esc"), nil)
end)

T.test("dump-refused", function()
	local function fn() return 99 end
	local ok, b = pcall(string.dump, fn)
	if ok then
		T.eq(type(b), "string")
		for _, mode in ipairs{"b", "bt"} do
			local f, e = load(b, "=dump", mode)
			T.eq(f, nil, "bytecode loaded with mode " .. mode)
			T.eq(type(e), "string")
		end
		T.eq(load(b), nil, "bytecode loaded with default mode")
	end
	T.eq(fn(), 99)
end)

T.test("dump-c-function", function()
	if string.dump then
		T.err(string.dump, "unable to dump", print)
	end
end)

T.test("load-args", function()
	T.err(load, "bad argument #1", nil)
	T.eq(load(42), nil, "42 is not a chunk")
	T.eq(loadstring, nil)
end)

T.test("upvalue-env", function()
	local f = load("counter = (counter or 0) + 1 return counter")
	f()
	T.eq(f(), 2)
	T.eq(rawget(_G, "counter"), 2)
	_G.counter = nil
end)

return T.done()
