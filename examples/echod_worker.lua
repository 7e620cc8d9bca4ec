-- /lib/modules/lua/echod_worker.lua: a worker of echod.lua, which runs it
-- in a kernel thread; not meant to be run on its own.
local tcploop = require("tcploop")

local PORT = 7777

-- bound here, so that `lunatik run echod` fails if the port is taken
local listeners = {
	tcploop.listen("tcp", "127.0.0.1", PORT, true),
	tcploop.listen("tcp6", "::1", PORT, true),
}

local function echo(client, data)
	return data
end

return function()
	tcploop.serve(listeners, echo)
end
