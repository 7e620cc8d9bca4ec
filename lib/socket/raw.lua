-- socket.raw: packet sockets that receive whole frames.
--
--	local raw = require "socket.raw"
--	local s = raw.bind()		-- ETH_P_ALL, every interface;
--	local frame = s:receive(1514)	-- raw.bind(ethertype, ifindex)
--	s:send(frame)			-- on the bound interface
--
-- Created with no protocol, so that nothing is queued before bind()
-- chose the ethertype (host order; default ETH_P_ALL, every one) and the
-- interface (0, the default: all).
local socket = require "socket"

local ETH_P_ALL = 0x0003

local raw = {}

function raw.bind(ethertype, ifindex)
	local s = socket.new(socket.af.PACKET, socket.sock.RAW, 0)
	local ok, err = pcall(s.bind, s, ethertype or ETH_P_ALL, ifindex or 0)
	if not ok then
		s:close()
		error(err, 2)
	end
	return s
end

return raw
