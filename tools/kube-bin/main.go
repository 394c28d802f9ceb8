// Command kube-bin is a multi-call binary: it runs the component named by the
// basename of argv[0] (kube-apiserver, kube-scheduler, kube-controller-manager,
// kubectl, etcd), or by its first argument when invoked as kube-bin.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	_ "time/tzdata" // CronJob time zones, as in the real kube-apiserver/controller-manager mains

	_ "k8s.io/client-go/plugin/pkg/client/auth"           // kubectl's client auth plugins
	_ "k8s.io/component-base/logs/json/register"          // JSON log format
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric
)

// components maps a program name to its entry point; each mirrors the upstream main.
var components = map[string]func() int{
	"kube-apiserver":          runAPIServer,
	"kube-scheduler":          runScheduler,
	"kube-controller-manager": runControllerManager,
	"kubectl":                 runKubectl,
	"etcd":                    runEtcd,
	"kubelet":                 runKubelet,
	"kube-proxy":              runKubeProxy,
}

func main() {
	name := filepath.Base(os.Args[0])
	if _, ok := components[name]; !ok && len(os.Args) > 1 {
		// Invoked as kube-bin <component> [args...]: shift so the component sees argv[0] = its name.
		name = os.Args[1]
		os.Args = append([]string{name}, os.Args[2:]...)
	}
	run, ok := components[name]
	if !ok {
		names := make([]string, 0, len(components))
		for n := range components {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "kube-bin: unknown component %q; link or call me as one of %v\n", name, names)
		os.Exit(2)
	}
	os.Exit(run())
}
