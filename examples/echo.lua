-- /lib/modules/lua/echo.lua: a device that gives back what was written
-- usage: $ sudo lunatik run echo
--        $ echo hello > /dev/echo; cat /dev/echo
--        $ sudo lunatik stop echo
local device = require("device")
local linux  = require("linux")

local s = linux.stat
local text = ""
local driver = {name = "echo", mode = s.IRUGO | s.IWUSR}

function driver:read(len, off) -- read(2): nil or "" is the end of file
	return text:sub(off + 1, off + len)
end

function driver:write(buf, off) -- write(2): replaces the text from off on
	text = text:sub(1, off) .. buf
	return #buf
end

device.new(driver)
