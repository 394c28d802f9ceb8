package main

import (
	"context"
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
	"k8s.io/component-base/cli"
	"k8s.io/component-base/logs"
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	proxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"
)

func runAPIServer() int { return cli.Run(apiserver.NewAPIServerCommand()) }

func runKubelet() int { return cli.Run(kubelet.NewKubeletCommand(context.Background())) }

func runKubeProxy() int { return cli.Run(proxy.NewProxyCommand()) }

func runScheduler() int { return cli.Run(scheduler.NewSchedulerCommand()) }

func runControllerManager() int { return cli.Run(controllermanager.NewControllerManagerCommand()) }

// runKubectl follows cmd/kubectl/kubectl.go: verbosity is set before the command is built.
func runKubectl() int {
	logs.GlogSetter(kubectlcmd.GetLogVerbosity(os.Args)) // nolint:errcheck
	command := kubectlcmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		kubectlutil.CheckErr(err) // prints and exits non-zero
	}
	return 0
}

// runEtcd runs etcd's own main; it exits the process itself on fatal errors.
func runEtcd() int {
	etcdmain.Main(os.Args)
	return 0
}
