return ("x"):rep(1000):gsub("x", "%0%0")
