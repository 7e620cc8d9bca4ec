-- lunatik.runner: scripts as runtimes kept in lunatik._ENV, the way
-- upstream Lunatik's scripts start one another.
--
--	local runner = require "lunatik.runner"
--	local rt = runner.run("examples/x"[, "softirq"])	-- _ENV.runtimes
--	runner.run("examples/y", "softirq", true)	-- one per CPU id:
--					-- _ENV.percpu["examples/y:<cpu>"]
--	runner.run("examples/y", {context = "softirq", percpu = true})
--	local t = runner.spawn("examples/z")	-- a kernel thread: _ENV.threads
--	runner.list()		-- "examples/x, examples/y, examples/z"
--	runner.stop("examples/x")
--	runner.shutdown()	-- stops them all
--	runner.startup()	-- the registries (the rcu binding makes them)
--
-- A runtime kept there outlives the runtime that ran it; it stops with
-- runner.stop(), runner.shutdown() or `lunatik unload`.
local lunatik = require "lunatik"
local rcu = require "rcu"
local thread = require "thread"
local linux = require "linux"

local env = lunatik._ENV
local runner = {}

local function registry(name)
	local r = env[name]
	if r == nil then
		r = rcu.table()
		env[name] = r
	elseif type(r) ~= "userdata" then
		error(("_ENV.%s is not an rcu table; unload and load the modules"):format(name), 3)
	end
	return r
end

local function name_of(script, fn)
	if type(script) ~= "string" then
		error(("bad argument #1 to '%s' (string expected, got %s)"):format(
			fn, type(script)), 3)
	end
	return (script:gsub("%.lua$", ""))
end

local function drop(r, key)
	local o = r[key]
	if o ~= nil then
		r[key] = nil
		o:stop()
	end
end

-- (ctx[, percpu]) or ({context =, percpu =})
local function options(ctx, ispercpu)
	if type(ctx) == "table" then
		return ctx.context, ctx.percpu
	end
	return ctx, ispercpu
end

local function cpukey(script, cpu)
	return script .. ":" .. cpu
end

-- the instances of a per-CPU script: set[cpu] is CPU cpu's runtime
local percpu = {}
percpu.__index = percpu

function percpu:resume(...)
	for cpu = 0, linux.numcpus() - 1 do
		local rt = self[cpu]
		if rt then
			rt:resume(...)
		end
	end
end

function percpu:stop()
	runner.stop(self.script)
end

local function runpercpu(script, ctx)
	local r = registry("percpu")
	local set = setmetatable({ script = script }, percpu)
	for cpu = 0, linux.numcpus() - 1 do
		local ok, rt = pcall(lunatik.runtime, script, ctx, cpu)
		if not ok then
			for c = 0, cpu - 1 do
				drop(r, cpukey(script, c))
			end
			error(rt, 0)
		end
		r[cpukey(script, cpu)] = rt
		set[cpu] = rt
	end
	return set
end

local function running(script)
	return registry("runtimes")[script] ~= nil or
		registry("percpu")[cpukey(script, 0)] ~= nil
end

-- run(script[, ctx[, percpu]]) or run(script, {context =, percpu =})
function runner.run(script, ctx, ispercpu)
	script = name_of(script, "run")
	ctx, ispercpu = options(ctx, ispercpu)
	ctx = ctx or "process"
	if running(script) then
		error(("%s is already running"):format(script), 2)
	end
	if ispercpu then
		return runpercpu(script, ctx)
	end
	local rt = lunatik.runtime(script, ctx)
	registry("runtimes")[script] = rt
	return rt
end

function runner.spawn(script, ctx, ispercpu)
	script = name_of(script, "spawn")
	ctx, ispercpu = options(ctx, ispercpu)
	if ispercpu then
		error("spawn does not support percpu scripts", 2)
	end
	local rt = runner.run(script, ctx)
	local ok, t = pcall(thread.run, rt, script:match("([^/]*)$"))
	if not ok then
		drop(registry("runtimes"), script)
		error(t, 0)
	end
	registry("threads")[script] = t
	return t
end

function runner.stop(script)
	script = name_of(script, "stop")
	drop(registry("threads"), script)
	drop(registry("runtimes"), script)
	local r = registry("percpu")
	for cpu = 0, linux.numcpus() - 1 do
		drop(r, cpukey(script, cpu))
	end
end

local function names()
	local list = {}
	rcu.map(registry("percpu"), function (key)
		local script = key:match("^(.+):0$")
		if script then
			list[#list + 1] = script
		end
	end)
	rcu.map(registry("runtimes"), function (script)
		list[#list + 1] = script
	end)
	table.sort(list)
	return list
end

function runner.list()
	return table.concat(names(), ", ")
end

function runner.shutdown()
	for _, script in ipairs(names()) do
		runner.stop(script)
	end
	-- threads whose runtime went some other way
	local left = {}
	rcu.map(registry("threads"), function (script) left[#left + 1] = script end)
	for _, script in ipairs(left) do
		drop(registry("threads"), script)
	end
end

function runner.startup()
	registry("runtimes")
	registry("percpu")
	registry("threads")
end

return runner
