-- runtimes from Lua: creation, resume, values across states, stats, stop
local T = require "ktap"
local lunatik = require "lunatik"

T.test("version", function()
	T.ok(type(lunatik._VERSION) == "string" and lunatik._VERSION:find("lunatik"))
	T.ok(_LUNATIK_VERSION == lunatik._VERSION)
end)

T.test("resume", function()
	local rt = lunatik.runtime("t_ret")
	local a, b, n = rt:resume(21, "s")
	T.eq(a, 42); T.eq(b, "s"); T.eq(n, 1)
	a, b, n = rt:resume(1, true)
	T.eq(a, 2); T.eq(b, true); T.eq(n, 2)
	rt:stop()
end)

T.test("stats", function()
	local rt = lunatik.runtime("t_ret")
	rt:resume(1)
	local s = rt:stats()
	T.eq(s.name, "t_ret"); T.eq(s.ctx, "process"); T.eq(s.ready, true)
	T.eq(s.calls, 2)	-- the top-level chunk, then one resume
	T.eq(s.errors, 0)
	T.ok(s.mem > 0 and s.mem <= s.peak and s.peak <= s.memcap)
	rt:stop()
end)

-- stats.ns: exact for entries that reach a budget check (the busy loop),
-- sampled for short ones; either way never more than the time around them
T.test("stats-time", function()
	local linux = require "linux"
	local rt = lunatik.runtime("t_busy")
	local before = rt:stats().ns
	local t0 = linux.time()
	local inside = rt:resume(200000)	-- entry 2: not a sample
	local around = linux.time() - t0
	local ns = rt:stats().ns - before
	T.ok(inside > 0 and ns >= inside * 9 // 10 and ns <= around,
		("inside %d, counted %d, around %d"):format(inside, ns, around))
	before = rt:stats().ns
	t0 = linux.time()
	for i = 1, 64 do rt:resume(1) end
	around = linux.time() - t0
	ns = rt:stats().ns - before
	T.ok(ns > 0 and ns <= 2 * around,
		("64 short entries: counted %d, around %d"):format(ns, around))
	rt:stop()
end)

T.test("contexts", function()
	for _, ctx in ipairs{"process", "softirq", "hardirq"} do
		local rt = lunatik.runtime("t_ret", ctx)
		T.eq(rt:stats().ctx, ctx)
		T.eq((rt:resume(5)), 10)
		rt:stop()
	end
	T.err(function() lunatik.runtime("t_ret", "nmi") end, "process, softirq or hardirq")
end)

T.test("load-errors", function()
	T.err(function() lunatik.runtime("t_err") end, "t_err fails at load")
	T.err(function() lunatik.runtime("t_syntax") end, "unexpected symbol")
	T.err(function() lunatik.runtime("t_float") end, "float")
	T.err(function() lunatik.runtime("no_such_script") end, "no_such_script")
end)

T.test("bad-names", function()
	for _, name in ipairs{"../etc/passwd", "/etc/passwd", "a//b", "a/", "./a",
	    "a/./b", "a/../b", "", "x\0y", "a b", string.rep("n", 200)} do
		T.err(function() lunatik.runtime(name) end, "invalid script name")
	end
end)

T.test("bytecode-refused", function()
	local f = assert(io.open("/lib/modules/lua/t_bytes.lua", "w"))
	f:write(string.dump(function() return 1 end))
	f:close()
	T.err(function() lunatik.runtime("t_bytes") end, "binary")
end)

T.test("values", function()
	local rt = lunatik.runtime("t_value")
	T.err(function() rt:resume() end, "cross runtimes")
	T.err(function() rt:resume({}) end, "cross runtimes")
	rt:stop()
	local rt2 = lunatik.runtime("t_noreturn")
	T.err(function() rt2:resume() end, "returned no function")
	rt2:stop()
end)

T.test("stop", function()
	local rt = lunatik.runtime("t_ret")
	rt:stop()
	T.err(function() rt:resume(1) end, "stopped")
	rt:stop()	-- twice is harmless
	local rt2 <close> = lunatik.runtime("t_ret")
	T.eq((rt2:resume(2)), 4)
end)

T.done()
