-- /lib/modules/lua/ticker.lua: a kernel thread that ticks once a second
-- usage: $ sudo lunatik spawn ticker
--        $ dmesg | grep ticker
--        $ sudo lunatik stop ticker
local linux  = require("linux")
local thread = require("thread")

-- lunatik spawn runs the function the script returns in a kernel thread
-- named "ticker"; sleeping in linux.schedule() lets it run for as long as
-- it likes (the budget counts from the last sleep), and `lunatik stop`
-- wakes it with thread.shouldstop() true
return function()
	local n = 0
	while not thread.shouldstop() do
		n = n + 1
		print(string.format("ticker: tick %d", n))
		linux.schedule(1000)
	end
	print(string.format("ticker: stopped after %d ticks", n))
end
