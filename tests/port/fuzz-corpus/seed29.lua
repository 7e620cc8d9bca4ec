return io.open("/nonexistent") 
