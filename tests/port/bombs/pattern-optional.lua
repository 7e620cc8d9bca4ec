-- expect: pattern too complex
return string.find(("a"):rep(10000), ("a?"):rep(10000) .. ("a"):rep(10000))
