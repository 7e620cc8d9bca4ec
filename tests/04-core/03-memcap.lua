-- the per-runtime memory cap: growth fails with "not enough memory",
-- the runtime survives, other runtimes are unaffected
local T = require "ktap"
local lunatik = require "lunatik"

T.test("cap-stops-growth", function()
	local rt = lunatik.runtime("t_mem", "process", {memcap = 256 * 1024})
	T.err(function() rt:resume() end, "not enough memory")
	local s = rt:stats()
	T.ok(s.peak <= 256 * 1024, "peak " .. s.peak)
	T.eq(s.errors, 1)
	rt:stop()
end)

T.test("cap-too-small-to-start", function()
	T.err(function() lunatik.runtime("t_ret", "process", {memcap = 4096}) end,
		"memory")
end)

T.test("default-cap", function()
	local rt = lunatik.runtime("t_ret")
	T.eq(rt:stats().memcap, 32 * 1024 * 1024)
	rt:stop()
end)

T.test("bad-options", function()
	T.err(function() lunatik.runtime("t_ret", "process", {memcap = -1}) end,
		"positive")
	T.err(function() lunatik.runtime("t_ret", "process", {budget = "x"}) end,
		"number expected")
end)

T.done()
