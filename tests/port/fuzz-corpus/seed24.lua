return ("x"):find("(x)()"), ("hello world"):match("^(%w+)")
