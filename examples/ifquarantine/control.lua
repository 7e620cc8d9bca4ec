-- ifquarantine: network devices that appear once it runs are quarantined,
-- their packets dropped, until allowed.  The devices present at its start
-- are trusted.
--
--	lunatik run examples/ifquarantine/control
--	cat /dev/ifquarantine		-- "name ifindex ALLOW|DROP" lines
--	echo allow=veth1 > /dev/ifquarantine
--	echo deny=veth1 > /dev/ifquarantine
--	lunatik stop examples/ifquarantine/control
--
-- The verdicts are taken per CPU, in softirq, by the filter
-- (examples/ifquarantine/filter, run by the runner), which shares with
-- this runtime the rcu table of quarantined ifindexes.
local device = require "device"
local linux = require "linux"
local notifier = require "notifier"
local rcu = require "rcu"
local runner = require "lunatik.runner"
local netdev = require "linux.netdev"
local notify = require "linux.notify"
local stat = require "linux.stat"

local FILTER <const> = "examples/ifquarantine/filter"

local quarantined = rcu.table()	-- tostring(ifindex) -> true
local known = {}		-- name -> ifindex
local starting = true

local function say(fmt, ...)
	print("ifquarantine: " .. fmt:format(...))
end

local function added(name, ifindex)
	known[name] = ifindex
	if starting then
		say("%s (%d) trusted", name, ifindex)
	else
		quarantined[tostring(ifindex)] = true
		say("%s (%d) quarantined", name, ifindex)
	end
end

local function removed(name)
	local ifindex = known[name]
	if ifindex then
		quarantined[tostring(ifindex)] = nil
		known[name] = nil
		say("%s gone", name)
	end
end

local function event(ev, name, ifindex)
	if ev == netdev.REGISTER then
		added(name, ifindex)
	elseif ev == netdev.UNREGISTER then
		removed(name)
	elseif ev == netdev.CHANGENAME then
		for old, i in pairs(known) do
			if i == ifindex then known[old] = nil end
		end
		known[name] = ifindex
	end
	return notify.DONE
end

local driver = {name = "ifquarantine", mode = stat.IRUGO | stat.IWUSR}

function driver:read(len, off)
	local lines = {}
	for name, ifindex in pairs(known) do
		lines[#lines + 1] = ("%s %d %s\n"):format(name, ifindex,
			quarantined[tostring(ifindex)] and "DROP" or "ALLOW")
	end
	table.sort(lines)
	return table.concat(lines):sub(off + 1, off + len)
end

function driver:write(buf)
	for cmd, name in buf:gmatch("(%a+)=(%S+)") do
		local ifindex = known[name]
		if ifindex and cmd == "allow" then
			quarantined[tostring(ifindex)] = nil
			say("%s allowed", name)
		elseif ifindex and cmd == "deny" then
			quarantined[tostring(ifindex)] = true
			say("%s denied", name)
		end
	end
end

device.new(driver)

-- the filter, one runtime per CPU, stopped with this runtime
local filters = runner.run(FILTER, {context = "softirq", percpu = true})
driver.stopper = setmetatable({}, {__gc = function () runner.stop(FILTER) end})
filters:resume(quarantined)

-- the devices present now come first, replayed while this registers
notifier.netdevice(event)
starting = false
