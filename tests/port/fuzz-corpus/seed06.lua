return tostring(nil) .. tostring(true) .. tostring(12)
