module voiceroom/loadtest/rtpsink

go 1.26
