-- Coroutines.
local T = require "ktap"

local co = coroutine

T.test("resume-yield", function()
	local c = co.create(function(a, b)
		local x = co.yield(a + b)
		local y, z = co.yield(x * 2)
		return y .. z
	end)
	T.same({co.resume(c, 1, 2)}, {true, 3})
	T.same({co.resume(c, 5)}, {true, 10})
	T.same({co.resume(c, "p", "q")}, {true, "pq"})
	T.same({co.resume(c)}, {false, "cannot resume dead coroutine"})
end)

T.test("status", function()
	local c
	c = co.create(function()
		co.yield(co.status(c))
	end)
	T.eq(co.status(c), "suspended")
	T.same({co.resume(c)}, {true, "running"})
	T.eq(co.status(c), "suspended")
	co.resume(c)
	T.eq(co.status(c), "dead")
	local outer
	outer = co.create(function()
		local inner = co.create(function() return co.status(outer) end)
		return select(2, co.resume(inner))
	end)
	T.same({co.resume(outer)}, {true, "normal"})
end)

T.test("running", function()
	local main, ismain = co.running()
	T.eq(type(main), "thread")
	T.eq(ismain, true)
	local c = co.create(function() return co.running() end)
	local _, th, im = co.resume(c)
	T.eq(th, c)
	T.eq(im, false)
end)

T.test("isyieldable", function()
	T.eq(co.isyieldable(), false)
	local c = co.wrap(function() return co.isyieldable() end)
	T.eq(c(), true)
	T.err(co.yield, "outside a coroutine")
end)

T.test("wrap", function()
	local gen = co.wrap(function()
		for i = 1, 3 do co.yield(i) end
	end)
	T.same({gen(), gen(), gen()}, {1, 2, 3})
	gen()
	T.err(gen, "dead coroutine")
end)

T.test("wrap-error", function()
	local w = co.wrap(function() error("boom") end)
	T.err(w, "boom")
	local w2 = co.wrap(function() error({code = 7}) end)
	local ok, e = pcall(w2)
	T.eq(ok, false)
	T.eq(type(e) == "table" and e.code, 7)
end)

T.test("error-inside", function()
	local c = co.create(function() co.yield(1) error("bad", 0) end)
	T.same({co.resume(c)}, {true, 1})
	T.same({co.resume(c)}, {false, "bad"})
	T.eq(co.status(c), "dead")
end)

T.test("yield-across-pcall", function()
	local c = co.create(function()
		local ok, v = pcall(function()
			local got = co.yield("in pcall")
			error("after " .. got, 0)
		end)
		co.yield(tostring(ok) .. ":" .. v)
		return "end"
	end)
	T.same({co.resume(c)}, {true, "in pcall"})
	T.same({co.resume(c, "resume")}, {true, "false:after resume"})
	T.same({co.resume(c)}, {true, "end"})
end)

T.test("yield-in-metamethod", function()
	local mt = {__add = function(a, b) return co.yield("adding") end}
	local c = co.wrap(function()
		return setmetatable({}, mt) + 1
	end)
	T.eq(c(), "adding")
	T.eq(c(99), 99)
end)

T.test("yield-in-iterator", function()
	local c = co.wrap(function()
		local s = 0
		for _, v in ipairs{1, 2, 3} do s = s + co.yield(v) end
		return s
	end)
	T.eq(c(), 1)
	T.eq(c(10), 2)
	T.eq(c(20), 3)
	T.eq(c(30), 60)
end)

T.test("close", function()
	local closed = false
	local c = co.create(function()
		local _ <close> = setmetatable({}, {__close = function()
			closed = true
		end})
		co.yield()
	end)
	co.resume(c)
	T.same({co.close(c)}, {true})
	T.eq(closed, true)
	T.eq(co.status(c), "dead")
	local e = co.create(function() error("x", 0) end)
	co.resume(e)
	T.same({co.close(e)}, {false, "x"})
	T.err(co.close, "cannot close a running coroutine", co.running())
end)

T.test("resume-self", function()
	local c
	c = co.create(function() return co.resume(c) end)
	T.same({co.resume(c)},
		{true, false, "cannot resume non-suspended coroutine"})
end)

T.test("many-coroutines", function()
	local cs = {}
	for i = 1, 500 do
		cs[i] = co.create(function(x) co.yield(x * 2) return x end)
	end
	local sum = 0
	for i = 1, 500 do sum = sum + select(2, co.resume(cs[i], i)) end
	T.eq(sum, 500 * 501)
end)

T.test("bad-args", function()
	T.err(co.create, "function expected", 1)
	T.err(co.resume, "bad argument #1", {})
	T.err(co.status, "bad argument #1", nil)
end)

return T.done()
