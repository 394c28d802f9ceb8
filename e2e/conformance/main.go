// Command conformance acts as the KUBELET towards a device plugin, using the
// kubelet's own generated v1beta1 client (k8s.io/kubelet): it serves
// Registration on <dir>/kubelet.sock, waits for the plugin's Register, dials
// the plugin's endpoint and checks ListAndWatch, GetPreferredAllocation,
// Allocate (and optionally a heartbeat flip and a kubelet restart) field by
// field. Expectations about VFIO groups are read from the sysfs tree itself,
// independently of the plugin. Exit 0 and "PASS" when everything matches;
// exit 1 with one "FAIL:" line per mismatch otherwise; exit 2 on bad flags.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"google.golang.org/grpc"
	pluginapi "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

type expectedDevice struct {
	ID     string `json:"id"`
	Health string `json:"health"`
	Numa   *int64 `json:"numa"`
}

type expectations struct {
	Devices []expectedDevice `json:"devices"`
}

type config struct {
	dir, resource, sysfsRoot, devRoot, expectFile string
	flipHeartbeat                                 string // <pfdriver>/<pf address>
	checkReregister                               bool
	timeout                                       time.Duration
}

// kubelet is the fake kubelet's Registration service: it records every Register.
type kubelet struct {
	pluginapi.UnimplementedRegistrationServer
	mu   sync.Mutex
	regs []*pluginapi.RegisterRequest
	ch   chan struct{}
}

func (k *kubelet) Register(_ context.Context, r *pluginapi.RegisterRequest) (*pluginapi.Empty, error) {
	k.mu.Lock()
	k.regs = append(k.regs, r)
	k.mu.Unlock()
	select {
	case k.ch <- struct{}{}:
	default:
	}
	return &pluginapi.Empty{}, nil
}

func (k *kubelet) waitFor(n int, d time.Duration) (*pluginapi.RegisterRequest, error) {
	deadline := time.After(d)
	for {
		k.mu.Lock()
		if len(k.regs) >= n {
			r := k.regs[n-1]
			k.mu.Unlock()
			return r, nil
		}
		k.mu.Unlock()
		select {
		case <-k.ch:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			return nil, fmt.Errorf("Register #%d did not arrive within %s", n, d)
		}
	}
}

var failures []string

func fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	failures = append(failures, msg)
	fmt.Fprintln(os.Stderr, "FAIL: "+msg)
}

func main() {
	var c config
	flag.StringVar(&c.dir, "dir", "", "device-plugins directory to serve kubelet.sock in (required)")
	flag.StringVar(&c.resource, "resource", "", "resource name the plugin must register (required)")
	flag.StringVar(&c.sysfsRoot, "sysfs-root", "/sys", "sysfs tree the plugin discovers from")
	flag.StringVar(&c.devRoot, "dev-root", "/dev", "host device root the plugin uses for host_path")
	flag.StringVar(&c.expectFile, "expect", "", "JSON file {\"devices\":[{\"id\",\"health\",\"numa\"}]} (required)")
	flag.StringVar(&c.flipHeartbeat, "flip-heartbeat", "", "<pfdriver>/<pf address>: set its debugfs heartbeat to -1, expect its VFs Unhealthy within 1s, then restore")
	flag.BoolVar(&c.checkReregister, "check-reregister", false, "delete the plugin socket like a restarting kubelet and expect a fresh Register")
	flag.DurationVar(&c.timeout, "timeout", 20*time.Second, "how long to wait for the first Register")
	flag.Parse()
	if c.dir == "" || c.resource == "" || c.expectFile == "" {
		fmt.Fprintln(os.Stderr, "conformance: -dir, -resource and -expect are required")
		os.Exit(2)
	}
	var exp expectations
	raw, err := os.ReadFile(c.expectFile)
	if err == nil {
		err = json.Unmarshal(raw, &exp)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "conformance: -expect %s: %v\n", c.expectFile, err)
		os.Exit(2)
	}
	if err := run(c, exp); err != nil {
		fail("%v", err)
	}
	if len(failures) > 0 {
		fmt.Fprintf(os.Stderr, "conformance: %d check(s) failed\n", len(failures))
		os.Exit(1)
	}
	fmt.Println("PASS")
}

func run(c config, exp expectations) error {
	sock := filepath.Join(c.dir, "kubelet.sock")
	_ = os.Remove(sock)
	lis, err := net.Listen("unix", sock)
	if err != nil {
		return fmt.Errorf("listen %s: %v", sock, err)
	}
	k := &kubelet{ch: make(chan struct{}, 1)}
	srv := grpc.NewServer()
	pluginapi.RegisterRegistrationServer(srv, k)
	go func() { _ = srv.Serve(lis) }()
	defer srv.Stop()
	fmt.Printf("READY %s\n", sock) // the test starts the plugin after this line

	reg, err := k.waitFor(1, c.timeout)
	if err != nil {
		return err
	}
	checkRegister(c, reg)
	p, closeConn, err := dial(c.dir, reg.GetEndpoint())
	if err != nil {
		return err
	}
	defer closeConn()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	opts, err := p.GetDevicePluginOptions(ctx, &pluginapi.Empty{})
	if err != nil {
		fail("GetDevicePluginOptions: %v", err)
	} else if opts.GetPreStartRequired() != reg.GetOptions().GetPreStartRequired() ||
		opts.GetGetPreferredAllocationAvailable() != reg.GetOptions().GetGetPreferredAllocationAvailable() {
		fail("GetDevicePluginOptions %v differs from the registered options %v", opts, reg.GetOptions())
	}

	stream, err := p.ListAndWatch(ctx, &pluginapi.Empty{})
	if err != nil {
		return fmt.Errorf("ListAndWatch: %v", err)
	}
	updates := make(chan *pluginapi.ListAndWatchResponse, 64)
	go func() {
		for {
			m, err := stream.Recv()
			if err != nil {
				close(updates)
				return
			}
			updates <- m
		}
	}()
	first, err := nextUpdate(updates, time.Second)
	if err != nil {
		return fmt.Errorf("ListAndWatch: first list: %v", err)
	}
	checkDevices("ListAndWatch", first.GetDevices(), exp.Devices)

	healthy := []string{}
	for _, d := range exp.Devices {
		if d.Health == pluginapi.Healthy {
			healthy = append(healthy, d.ID)
		}
	}
	checkPreferred(ctx, p, healthy)
	checkAllocate(ctx, c, p, healthy)
	if c.flipHeartbeat != "" {
		checkHeartbeatFlip(ctx, c, p, updates, exp.Devices)
	}
	if c.checkReregister {
		checkReregister(c, k, reg, exp.Devices)
	}
	return nil
}
