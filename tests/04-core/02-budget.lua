-- budgets: a runaway chunk or hook is stopped in every context, the error
-- is counted, and the machine and the other runtimes go on
local T = require "ktap"
local lunatik = require "lunatik"

T.test("top-level-chunk", function()
	T.err(function() lunatik.runtime("t_spin", "process", {budget = 50}) end,
		"budget exceeded")
end)

for _, ctx in ipairs{"process", "softirq", "hardirq"} do
	T.test("hook-" .. ctx, function()
		local rt = lunatik.runtime("t_hookspin", ctx, {budget = 20})
		T.err(function() rt:resume() end, "budget exceeded")
		local s = rt:stats()
		T.eq(s.budget_trips, 1)
		T.eq(s.errors, 1)
		rt:stop()
	end)
end

for _, mode in ipairs{"flat", "down", "short"} do
	T.test("for-loop-" .. mode, function()
		local rt = lunatik.runtime("t_forspin", "process", {budget = 20})
		T.err(function() rt:resume(mode) end, "budget exceeded")
		T.eq(rt:stats().budget_trips, 1)
		rt:stop()
	end)
end

T.test("for-loop-short-softirq", function()
	local rt = lunatik.runtime("t_forspin", "softirq", {budget = 20})
	T.err(function() rt:resume("short") end, "budget exceeded")
	rt:stop()
end)

T.test("past-pcall", function()
	local rt = lunatik.runtime("t_hookspin", "process", {budget = 20})
	T.err(function() rt:resume("pcall") end, "budget exceeded")
	T.eq(rt:stats().budget_trips, 1)
	rt:stop()
end)

T.test("others-unaffected", function()
	local good = lunatik.runtime("t_ret")
	local bad = lunatik.runtime("t_hookspin", "softirq", {budget = 10})
	T.err(function() bad:resume() end, "budget")
	T.eq((good:resume(4)), 8)
	T.eq(good:stats().errors, 0)
	bad:stop(); good:stop()
end)

T.test("no-trip-when-fast", function()
	local rt = lunatik.runtime("t_ret", "process", {budget = 1000})
	for i = 1, 50 do rt:resume(i) end
	T.eq(rt:stats().budget_trips, 0)
	rt:stop()
end)

T.done()
