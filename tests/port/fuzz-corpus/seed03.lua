return ("abc"):rep(10):gsub("b", "x")
