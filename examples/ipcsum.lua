-- /lib/modules/lua/ipcsum.lua: fills an IPv4 header and its checksum
-- usage: $ sudo lunatik run ipcsum; dmesg | tail -n 1
local data = require("data")

local hdr = data.new(20)
local fields = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7}
for i, b in ipairs(fields) do
	hdr:setbyte(i - 1, b)
end

local sum = hdr:checksum()       -- over a zero checksum field
hdr:setbyte(10, sum >> 8)        -- stored in network order
hdr:setbyte(11, sum & 0xff)
assert(hdr:checksum() == 0)      -- a correct header sums to zero
print(string.format("ipcsum: checksum 0x%04x", sum))
