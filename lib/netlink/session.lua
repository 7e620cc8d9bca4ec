-- netlink.session: requests and their replies over a kernel netlink
-- socket (socket.af.NETLINK), the base class of netlink.genl and of the
-- netlink.rt classes.
--
--	local session = require "netlink.session"
--	local rt = session:new{proto = 0}	-- a class: NETLINK_ROUTE
--	local s <close> = rt()			-- a session: opens the socket
--	local replies = s:dump(18, string.rep("\0", 16))	-- RTM_GETLINK
--	s:talk(19, 0, ifinfomsg)		-- RTM_SETLINK, waits for the ack
--	s:close()
--
-- Calling a class (one made with session:new{proto = P}) opens a socket
-- of protocol P in the network namespace of the task that runs the
-- script.  request(mtype, flags, payload) sends one message (NLM_F_REQUEST
-- added, a new sequence number) and waits for nothing; dump(mtype,
-- payload) sends a dump request and returns its replies up to
-- NLMSG_DONE; talk(mtype, flags, payload), or talk(mtype, payload[,
-- flags]), asks for an ack (NLM_F_ACK) and returns the replies up to it.
-- Replies are netlink.message.parse records ({type, flags, seq, pid,
-- body}), the closing NLMSG_DONE or ack included.  A reply carrying an
-- error raises its errno's name ("ENOENT"), as upstream's; a receive that
-- waits more than TIMEOUT raises "netlink.session: no reply (timeout)";
-- a truncated datagram raises "netlink.session: truncated message".
-- Process runtimes only, as sockets.
local class = require "class"
local socket = require "socket"
local linux = require "linux"
local message = require "netlink.message"

local session = class {}

local NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK = 0x1, 0x2, 0x4
local NLM_F_DUMP = 0x300
local NLMSG_ERROR, NLMSG_DONE = 2, 3
local BUFSIZE = 65536	-- a dump's datagrams are at most 32 KiB
local TIMEOUT = 5000	-- ms, for each receive

session.BUFSIZE, session.TIMEOUT = BUFSIZE, TIMEOUT

--- class([pid]) -> a new session (its socket open)
function session:__call(pid)
	if pid ~= nil then
		error("netlink.session: another task's namespace (pid) is not supported; run the script in that namespace", 2)
	end
	if math.type(self.proto) ~= "integer" then
		error("netlink.session: the class has no protocol (proto)", 2)
	end
	local o = self:new()
	o.socket = socket.new(socket.af.NETLINK, socket.sock.RAW, self.proto)
	o.socket:setsockopt(socket.sol.SOCKET, socket.so.RCVTIMEO, TIMEOUT)
	o.sequence = 0
	return o
end

local function checkint(v, i, fn)
	if v ~= nil and math.type(v) ~= "integer" then
		error(string.format("bad argument #%d to '%s' (integer expected, got %s)",
			i, fn, math.type(v) or type(v)), 3)
	end
	return v
end

--- s:request(mtype, flags, payload)
function session:request(mtype, flags, payload)
	if not self.socket then
		error("netlink.session: the session is closed", 2)
	end
	checkint(mtype, 1, "request")
	flags = checkint(flags, 2, "request") or 0
	self.sequence = (self.sequence or 0) + 1
	self.socket:send(message.encode(mtype, NLM_F_REQUEST | flags,
		self.sequence, payload or ""), 0)
end

-- the error a NLMSG_ERROR reply carries (0: an ack)
local function errcode(msg)
	if #msg.body < 4 then
		error("netlink.session: truncated error message", 4)
	end
	return (string.unpack("=i4", msg.body))
end

local function raise(err)
	local name = linux.errname(err)
	error(name ~= "unknown" and name or tostring(err), 0)
end

-- Reads the replies to the last request until last(msg) says so, or a
-- read comes back empty; raises on an error reply.
local function replies(self, last)
	local out, done = {}, false
	repeat
		local ok, buf = pcall(self.socket.receive, self.socket, BUFSIZE)
		if not ok then
			if tostring(buf):match("EAGAIN") then
				error("netlink.session: no reply (timeout)", 3)
			end
			error(buf, 0)
		end
		if #buf == 0 then
			break
		end
		local msgs = message.parse(buf)
		if msgs.truncated then
			error("netlink.session: truncated message", 3)
		end
		for _, msg in ipairs(msgs) do
			-- replies to an older request (one that timed out)
			-- are skipped
			if msg.seq == self.sequence or msg.seq == 0 then
				out[#out + 1] = msg
				if msg.type == NLMSG_ERROR then
					local err = errcode(msg)
					if err ~= 0 then
						raise(err)
					end
				end
				if last(msg) then
					done = true
				end
			end
		end
	until done
	return out
end

local function isdone(msg)
	if msg.type == NLMSG_DONE and #msg.body >= 4 then
		local err = string.unpack("=i4", msg.body)
		if err < 0 then
			raise(err)
		end
	end
	return msg.type == NLMSG_DONE or msg.type == NLMSG_ERROR or
		msg.flags & NLM_F_MULTI == 0
end

local function isack(msg)
	return msg.type == NLMSG_ERROR
end

--- s:dump(mtype, payload) -> the replies, up to NLMSG_DONE
function session:dump(mtype, payload)
	self:request(mtype, NLM_F_DUMP, payload)
	return replies(self, isdone)
end

--- s:talk(mtype, flags, payload), s:talk(mtype, payload[, flags]) -> the
--- replies, up to the ack
function session:talk(mtype, a, b)
	local flags, payload
	if type(a) == "string" then
		payload, flags = a, b
	else
		flags, payload = a, b
	end
	flags = checkint(flags, 2, "talk") or 0
	self:request(mtype, NLM_F_ACK | flags, payload)
	return replies(self, isack)
end

--- s:close(): closes the socket (again: nothing)
function session:close()
	if self.socket then
		self.socket:close()
		self.socket = nil
	end
end

return session
