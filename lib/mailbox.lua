-- mailbox: messages (strings) between runtimes, over a fifo and a
-- completion that may both be shared through lunatik._ENV.
--
--	local inbox = mailbox.inbox(q | capacity[, e])
--	local outbox = mailbox.outbox(q | capacity[, e])
--	outbox:send(msg)		-- raises "fifo: not enough space..."
--	local msg = inbox:receive([ms])	-- raises "timeout"/"interrupt"
--	local msg = inbox:tryreceive([ms]) -- nil on a timeout
--
-- q is a fifo (or a capacity in bytes for a new one; a message takes its
-- length plus string.packsize("T")), e a completion (new by default).
-- e == false (or a fifo without e) makes a mailbox that never waits:
-- receive() only polls, for softirq and hardirq runtimes, where waiting is
-- refused.  receive(0) does not sleep.  Either receive returns nil when
-- the queue is empty after the wait.  One receiver per queue: a message
-- is popped in two steps.
local fifo = require("fifo")
local completion = require("completion")

local mailbox = {}
local MailBox = {}
MailBox.__index = MailBox

local function new(q, e, allowed, ...)
	local box = {}
	if type(q) == "userdata" then
		box.queue, box.event = q, e or nil
	else
		box.queue = fifo.new(q)
		if e ~= false then
			box.event = e or completion.new()
		end
	end
	for _, forbidden in ipairs({...}) do
		box[forbidden] = function()
			error(allowed .. "-only mailbox", 2)
		end
	end
	return setmetatable(box, MailBox)
end

function mailbox.inbox(q, e)
	return new(q, e, "receive", "send")
end

function mailbox.outbox(q, e)
	return new(q, e, "send", "receive", "tryreceive")
end

local sizeoft = string.packsize("T")

-- The next message and its length, or nil if the queue is empty; if the
-- wait failed, nil and its error ("timeout" or "interrupt").
local function receive(self, timeout)
	if self.event then
		local ok, err = self.event:wait(timeout)
		if not ok then
			return nil, err
		end
	end
	local queue = self.queue
	local header, n = queue:pop(sizeoft)
	if n == 0 then
		return nil
	elseif n < sizeoft then
		error("malformed message", 3)
	end
	return queue:pop(string.unpack("T", header))
end

-- receive([ms]): as upstream, raises the wait's error, a timeout included.
function MailBox:receive(timeout)
	local msg, n = receive(self, timeout)
	if msg == nil then
		if n then
			error(n, 2)
		end
		return nil
	end
	return msg, n
end

-- tryreceive([ms]): nil, "timeout" on a timeout; raises if the wait was
-- interrupted.
function MailBox:tryreceive(timeout)
	local msg, n = receive(self, timeout)
	if msg == nil then
		if n and n ~= "timeout" then
			error(n, 2)
		end
		return nil, n
	end
	return msg, n
end

function MailBox:send(message)
	self.queue:push(string.pack("s", message))
	if self.event then
		self.event:complete()
	end
end

return mailbox
