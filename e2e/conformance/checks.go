package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	pluginapi "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

// dial connects to the plugin the way the kubelet's device manager does: a unix socket in its directory.
func dial(dir, endpoint string) (pluginapi.DevicePluginClient, func(), error) {
	conn, err := grpc.NewClient("unix://"+filepath.Join(dir, endpoint), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, nil, fmt.Errorf("dial plugin endpoint %s: %v", endpoint, err)
	}
	return pluginapi.NewDevicePluginClient(conn), func() { _ = conn.Close() }, nil
}

func nextUpdate(ch <-chan *pluginapi.ListAndWatchResponse, d time.Duration) (*pluginapi.ListAndWatchResponse, error) {
	select {
	case m, ok := <-ch:
		if !ok {
			return nil, fmt.Errorf("stream ended")
		}
		return m, nil
	case <-time.After(d):
		return nil, fmt.Errorf("nothing within %s", d)
	}
}

func checkRegister(c config, r *pluginapi.RegisterRequest) {
	if r.GetVersion() != pluginapi.Version {
		fail("Register.version = %q, want %q", r.GetVersion(), pluginapi.Version)
	}
	if r.GetResourceName() != c.resource {
		fail("Register.resource_name = %q, want %q", r.GetResourceName(), c.resource)
	}
	want := strings.ReplaceAll(c.resource, "/", "-") + ".sock"
	if r.GetEndpoint() != want {
		fail("Register.endpoint = %q, want %q (resource name with / -> -)", r.GetEndpoint(), want)
	}
	if strings.Contains(r.GetEndpoint(), "/") {
		fail("Register.endpoint %q must be a file name relative to the device-plugins dir", r.GetEndpoint())
	}
	if st, err := os.Stat(filepath.Join(c.dir, r.GetEndpoint())); err != nil || st.Mode()&os.ModeSocket == 0 {
		fail("Register.endpoint %q is not a socket in %s (%v)", r.GetEndpoint(), c.dir, err)
	}
	o := r.GetOptions()
	if o == nil || o.GetPreStartRequired() || !o.GetGetPreferredAllocationAvailable() {
		fail("Register.options = %v, want pre_start_required=false get_preferred_allocation_available=true", o)
	}
}

func checkDevices(what string, got []*pluginapi.Device, want []expectedDevice) {
	seen := map[string]bool{}
	gotIDs := []string{}
	for _, d := range got {
		if d.GetID() == "" || len(d.GetID()) > 63 {
			fail("%s: device ID %q must be 1..63 characters", what, d.GetID())
		}
		if seen[d.GetID()] {
			fail("%s: device ID %q listed twice", what, d.GetID())
		}
		seen[d.GetID()] = true
		gotIDs = append(gotIDs, d.GetID())
		if h := d.GetHealth(); h != pluginapi.Healthy && h != pluginapi.Unhealthy {
			fail("%s: device %s health %q is neither Healthy nor Unhealthy", what, d.GetID(), h)
		}
	}
	wantIDs := []string{}
	for _, w := range want {
		wantIDs = append(wantIDs, w.ID)
	}
	sort.Strings(wantIDs)
	sorted := append([]string(nil), gotIDs...)
	sort.Strings(sorted)
	if strings.Join(sorted, ",") != strings.Join(wantIDs, ",") {
		fail("%s: device IDs %v, want %v", what, sorted, wantIDs)
		return
	}
	byID := map[string]*pluginapi.Device{}
	for _, d := range got {
		byID[d.GetID()] = d
	}
	for _, w := range want {
		d := byID[w.ID]
		if d.GetHealth() != w.Health {
			fail("%s: device %s health %q, want %q", what, w.ID, d.GetHealth(), w.Health)
		}
		nodes := d.GetTopology().GetNodes()
		switch {
		case w.Numa == nil && len(nodes) != 0:
			fail("%s: device %s has topology %v, want none (NUMA unknown)", what, w.ID, nodes)
		case w.Numa != nil && (len(nodes) != 1 || nodes[0].GetID() != *w.Numa):
			fail("%s: device %s topology %v, want NUMA node %d", what, w.ID, nodes, *w.Numa)
		}
	}
}

func checkPreferred(ctx context.Context, p pluginapi.DevicePluginClient, healthy []string) {
	if len(healthy) == 0 {
		return
	}
	reqs := []*pluginapi.ContainerPreferredAllocationRequest{}
	for size := 1; size <= len(healthy) && size <= 4; size++ {
		reqs = append(reqs, &pluginapi.ContainerPreferredAllocationRequest{AvailableDeviceIDs: healthy, AllocationSize: int32(size)})
	}
	must := healthy[len(healthy)-1]
	reqs = append(reqs, &pluginapi.ContainerPreferredAllocationRequest{AvailableDeviceIDs: healthy, MustIncludeDeviceIDs: []string{must}, AllocationSize: 1})
	res, err := p.GetPreferredAllocation(ctx, &pluginapi.PreferredAllocationRequest{ContainerRequests: reqs})
	if err != nil {
		fail("GetPreferredAllocation: %v", err)
		return
	}
	if len(res.GetContainerResponses()) != len(reqs) {
		fail("GetPreferredAllocation: %d container responses for %d requests", len(res.GetContainerResponses()), len(reqs))
		return
	}
	avail := map[string]bool{}
	for _, id := range healthy {
		avail[id] = true
	}
	for i, r := range res.GetContainerResponses() {
		ids := r.GetDeviceIDs()
		if len(ids) != int(reqs[i].GetAllocationSize()) {
			fail("GetPreferredAllocation[%d]: %d IDs %v, want %d", i, len(ids), ids, reqs[i].GetAllocationSize())
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if !avail[id] || seen[id] {
				fail("GetPreferredAllocation[%d]: %q is not available or repeated (%v)", i, id, ids)
			}
			seen[id] = true
		}
		for _, m := range reqs[i].GetMustIncludeDeviceIDs() {
			if !seen[m] {
				fail("GetPreferredAllocation[%d]: must-include %s missing from %v", i, m, ids)
			}
		}
	}
}

// envName is KubeVirt's rule, implemented here independently of the plugin.
func envName(resource string) string {
	return "PCI_RESOURCE_" + strings.NewReplacer("/", "_", ".", "_").Replace(strings.ToUpper(resource))
}

func iommuGroup(sysfsRoot, address string) (string, error) {
	target, err := os.Readlink(filepath.Join(sysfsRoot, "bus", "pci", "devices", address, "iommu_group"))
	if err != nil {
		return "", err
	}
	return filepath.Base(target), nil
}

func checkContainer(c config, i int, ids []string, r *pluginapi.ContainerAllocateResponse) {
	want := map[string]string{"/dev/vfio/vfio": filepath.Join(c.devRoot, "vfio", "vfio")}
	for _, id := range ids {
		g, err := iommuGroup(c.sysfsRoot, id)
		if err != nil {
			fail("Allocate[%d]: cannot read the IOMMU group of %s from sysfs: %v", i, id, err)
			continue
		}
		want["/dev/vfio/"+g] = filepath.Join(c.devRoot, "vfio", g)
	}
	got := map[string]string{}
	for _, d := range r.GetDevices() {
		if d.GetPermissions() != "mrw" {
			fail("Allocate[%d]: device %s permissions %q, want \"mrw\"", i, d.GetContainerPath(), d.GetPermissions())
		}
		if _, dup := got[d.GetContainerPath()]; dup {
			fail("Allocate[%d]: container path %s listed twice", i, d.GetContainerPath())
		}
		got[d.GetContainerPath()] = d.GetHostPath()
		if _, err := os.Stat(d.GetHostPath()); err != nil {
			fail("Allocate[%d]: host_path %s does not exist", i, d.GetHostPath())
		}
	}
	if fmt.Sprint(sortedMap(got)) != fmt.Sprint(sortedMap(want)) {
		fail("Allocate[%d]: devices %v, want %v", i, sortedMap(got), sortedMap(want))
	}
	env := envName(c.resource)
	if len(r.GetEnvs()) != 1 {
		fail("Allocate[%d]: envs %v, want only %s", i, r.GetEnvs(), env)
	}
	gotAddrs := strings.Split(strings.TrimSuffix(r.GetEnvs()[env], ","), ",")
	sort.Strings(gotAddrs)
	wantAddrs := append([]string(nil), ids...)
	sort.Strings(wantAddrs)
	if strings.Join(gotAddrs, ",") != strings.Join(wantAddrs, ",") {
		fail("Allocate[%d]: %s=%q, want the addresses %v", i, env, r.GetEnvs()[env], wantAddrs)
	}
	if len(r.GetMounts()) != 0 || len(r.GetCdiDevices()) != 0 || len(r.GetAnnotations()) != 0 {
		fail("Allocate[%d]: unexpected mounts %v / cdi %v / annotations %v", i, r.GetMounts(), r.GetCdiDevices(), r.GetAnnotations())
	}
}

func sortedMap(m map[string]string) []string {
	out := []string{}
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func checkAllocate(ctx context.Context, c config, p pluginapi.DevicePluginClient, healthy []string) {
	if len(healthy) >= 3 {
		containers := [][]string{{healthy[0]}, {healthy[1], healthy[2]}}
		req := &pluginapi.AllocateRequest{}
		for _, ids := range containers {
			req.ContainerRequests = append(req.ContainerRequests, &pluginapi.ContainerAllocateRequest{DevicesIds: ids})
		}
		res, err := p.Allocate(ctx, req)
		if err != nil {
			fail("Allocate %v: %v", containers, err)
		} else if len(res.GetContainerResponses()) != len(containers) {
			fail("Allocate: %d container responses for %d containers", len(res.GetContainerResponses()), len(containers))
		} else {
			for i, ids := range containers {
				checkContainer(c, i, ids, res.GetContainerResponses()[i])
			}
		}
	} else {
		fail("need at least 3 healthy devices to check Allocate, have %d", len(healthy))
	}
	bogus := "0000:ff:1f.7"
	_, err := p.Allocate(ctx, &pluginapi.AllocateRequest{ContainerRequests: []*pluginapi.ContainerAllocateRequest{{DevicesIds: []string{bogus}}}})
	if st, _ := status.FromError(err); err == nil || st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), bogus) {
		fail("Allocate of unknown %s: got %v, want InvalidArgument naming the ID", bogus, err)
	}
	if _, err := p.PreStartContainer(ctx, &pluginapi.PreStartContainerRequest{DevicesIds: healthy[:1]}); err != nil {
		fail("PreStartContainer: %v", err)
	}
}

func checkHeartbeatFlip(ctx context.Context, c config, p pluginapi.DevicePluginClient, updates <-chan *pluginapi.ListAndWatchResponse, devs []expectedDevice) {
	drv, pf, ok := strings.Cut(c.flipHeartbeat, "/")
	if !ok {
		fail("-flip-heartbeat %q must be <pfdriver>/<pf address>", c.flipHeartbeat)
		return
	}
	path := filepath.Join(c.sysfsRoot, "kernel", "debug", fmt.Sprintf("qat_%s_%s", drv, pf), "heartbeat", "status")
	// The PF's advertised VFs (virtfn links that are in the expected list).
	listed := map[string]bool{}
	for _, d := range devs {
		listed[d.ID] = true
	}
	affected := map[string]bool{}
	links, _ := filepath.Glob(filepath.Join(c.sysfsRoot, "bus", "pci", "devices", pf, "virtfn*"))
	for _, l := range links {
		if t, err := os.Readlink(l); err == nil && listed[filepath.Base(t)] {
			affected[filepath.Base(t)] = true
		}
	}
	if len(affected) == 0 {
		fail("-flip-heartbeat %s: the PF has no advertised VFs", pf)
		return
	}
	flip := func(value, health string) {
		if err := os.WriteFile(path, []byte(value+"\n"), 0o644); err != nil {
			fail("write %s: %v", path, err)
			return
		}
		want := append([]expectedDevice(nil), devs...)
		for i := range want {
			if affected[want[i].ID] {
				want[i].Health = health
			}
		}
		start := time.Now()
		for {
			m, err := nextUpdate(updates, time.Second-time.Since(start))
			if err != nil {
				fail("heartbeat %s -> %s: no ListAndWatch update with %s VFs within 1s (%v)", pf, value, health, err)
				return
			}
			n := 0
			for _, d := range m.GetDevices() {
				if affected[d.GetID()] && d.GetHealth() == health {
					n++
				}
			}
			if n == len(affected) {
				checkDevices("ListAndWatch after heartbeat "+value, m.GetDevices(), want)
				fmt.Printf("heartbeat %s -> %s: update after %s\n", pf, value, time.Since(start).Round(time.Millisecond))
				return
			}
		}
	}
	flip("-1", pluginapi.Unhealthy)
	for id := range affected {
		_, err := p.Allocate(ctx, &pluginapi.AllocateRequest{ContainerRequests: []*pluginapi.ContainerAllocateRequest{{DevicesIds: []string{id}}}})
		if st, _ := status.FromError(err); err == nil || st.Code() != codes.FailedPrecondition || !strings.Contains(st.Message(), id) {
			fail("Allocate of unhealthy %s: got %v, want FailedPrecondition naming the ID", id, err)
		}
		break
	}
	flip("0", pluginapi.Healthy)
}

func checkReregister(c config, k *kubelet, first *pluginapi.RegisterRequest, devs []expectedDevice) {
	// A restarting kubelet removes every socket in its directory.
	if err := os.Remove(filepath.Join(c.dir, first.GetEndpoint())); err != nil {
		fail("remove plugin socket: %v", err)
		return
	}
	start := time.Now()
	reg, err := k.waitFor(2, 3*time.Second)
	if err != nil {
		fail("after the plugin socket was deleted: %v", err)
		return
	}
	fmt.Printf("re-registered after %s\n", time.Since(start).Round(time.Millisecond))
	checkRegister(c, reg)
	p, closeConn, err := dial(c.dir, reg.GetEndpoint())
	if err != nil {
		fail("%v", err)
		return
	}
	defer closeConn()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := p.ListAndWatch(ctx, &pluginapi.Empty{})
	if err != nil {
		fail("ListAndWatch after re-register: %v", err)
		return
	}
	m, err := s.Recv()
	if err != nil {
		fail("ListAndWatch after re-register: %v", err)
		return
	}
	checkDevices("ListAndWatch after re-register", m.GetDevices(), devs)
}
