// rtpsink: the listener bots of the SFU load test (`npm run loadtest:media -- --mode sfu`), one UDP socket per
// consumer so no socket's own receive buffer turns into loss the SFU did not cause. A goroutine per socket
// counts RTP packets, bytes and the extended sequence range; SRTP leaves the RTP header in the clear, so nothing
// is decrypted. Driven by lines on stdin, answered by one JSON line each on stdout:
//
//	open N   -> {"ports":[...]}                 binds N more sockets on -ip
//	stats    -> {"received":[...],"bytes":[...],"first":[...],"highest":[...]}  per socket, in open order;
//	            first/highest are -1 until a packet arrived
//	quit     -> exits (so does EOF on stdin)
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
)

type listener struct {
	conn     *net.UDPConn
	mu       sync.Mutex
	received int64
	bytes    int64
	first    int64
	highest  int64
	last     int64
}

// extend places a 16-bit sequence number in the cycle nearest the previous extended one (as summary.ts does).
func extend(previous int64, seq uint16) int64 {
	if previous < 0 {
		return int64(seq)
	}
	cycles := previous / 65536
	best := cycles*65536 + int64(seq)
	for _, c := range []int64{cycles - 1, cycles + 1} {
		candidate := c*65536 + int64(seq)
		if abs(candidate-previous) < abs(best-previous) {
			best = candidate
		}
	}
	return best
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func (l *listener) run() {
	buf := make([]byte, 2048)
	for {
		n, err := l.conn.Read(buf)
		if err != nil {
			return
		}
		// RTCP (payload types 192..223 in the second byte) shares the port with RTP (rtcp-mux)
		if n < 12 || (buf[1] >= 192 && buf[1] <= 223) {
			continue
		}
		seq := uint16(buf[2])<<8 | uint16(buf[3])
		l.mu.Lock()
		ext := extend(l.last, seq)
		l.last = ext
		if l.first < 0 || ext < l.first {
			l.first = ext
		}
		if ext > l.highest {
			l.highest = ext
		}
		l.received++
		l.bytes += int64(n)
		l.mu.Unlock()
	}
}

type stats struct {
	Received []int64 `json:"received"`
	Bytes    []int64 `json:"bytes"`
	First    []int64 `json:"first"`
	Highest  []int64 `json:"highest"`
}

func main() {
	ip := flag.String("ip", "127.0.0.1", "address the sockets bind to")
	rcvbuf := flag.Int("rcvbuf", 1<<20, "SO_RCVBUF of each socket in bytes (the kernel caps it at net.core.rmem_max)")
	flag.Parse()
	out := json.NewEncoder(os.Stdout)
	fail := func(format string, args ...any) {
		_ = out.Encode(map[string]string{"error": fmt.Sprintf(format, args...)})
	}
	var listeners []*listener
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		fields := strings.Fields(in.Text())
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "open":
			count, err := strconv.Atoi(fields[len(fields)-1])
			if len(fields) != 2 || err != nil || count < 1 {
				fail("open wants a positive count, got %q", in.Text())
				continue
			}
			ports := make([]int, 0, count)
			for i := 0; i < count; i++ {
				conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(*ip)})
				if err != nil {
					fail("binding socket %d of %d on %s: %v (raise ulimit -n?)", i+1, count, *ip, err)
					break
				}
				if err := conn.SetReadBuffer(*rcvbuf); err != nil {
					fail("SO_RCVBUF %d: %v", *rcvbuf, err)
					break
				}
				l := &listener{conn: conn, first: -1, highest: -1, last: -1}
				listeners = append(listeners, l)
				go l.run()
				ports = append(ports, conn.LocalAddr().(*net.UDPAddr).Port)
			}
			if len(ports) == count {
				_ = out.Encode(map[string][]int{"ports": ports})
			}
		case "stats":
			s := stats{Received: []int64{}, Bytes: []int64{}, First: []int64{}, Highest: []int64{}}
			for _, l := range listeners {
				l.mu.Lock()
				s.Received = append(s.Received, l.received)
				s.Bytes = append(s.Bytes, l.bytes)
				s.First = append(s.First, l.first)
				s.Highest = append(s.Highest, l.highest)
				l.mu.Unlock()
			}
			_ = out.Encode(s)
		case "quit":
			return
		default:
			fail("unknown command %q: open N, stats or quit", fields[0])
		}
	}
}
