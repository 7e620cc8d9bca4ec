--
-- /lib/modules/lua/passwd.lua
-- usage: $ sudo lunatik run passwd
--        $ head -c <width> /dev/passwd
--
local device = require("device")
local linux  = require("linux")

local function nop() end -- do nothing

local s = linux.stat
local driver = {name = "passwd", open = nop, release = nop, mode = s.IRUGO}

function driver:read() -- read(2) callback
	-- generate random ASCII printable characters
	return string.char(linux.random(32, 126))
end

-- creates a new character device
device.new(driver)
