-- /lib/modules/lua/uptime.lua: /dev/uptime tells how long the script ran
-- usage: $ sudo lunatik run uptime
--        $ cat /dev/uptime
local device = require("device")
local linux  = require("linux")

local start = linux.time()
local driver = {name = "uptime", mode = linux.stat.IRUGO}

function driver:read(len, off)
	if off > 0 then return nil end -- one line per open
	local ms = linux.difftime(linux.time(), start) // 1000000
	return string.format("%d.%03d s on %d CPUs\n", ms // 1000, ms % 1000,
		linux.numcpus())
end

device.new(driver)
