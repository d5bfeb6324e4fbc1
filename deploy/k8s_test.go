package deploy

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// The manifests are decoded strictly into the Kubernetes API's own Go
// types: an unknown or misspelt field, or a value of the wrong type, fails
// the test, as the API server would refuse it. That catches what a schema
// would, without vendoring the JSON schemas or a validator.

// kinds maps apiVersion/kind to the type a document decodes into.
var kinds = map[string]func() any{
	"v1/ConfigMap":                  func() any { return new(corev1.ConfigMap) },
	"v1/Secret":                     func() any { return new(corev1.Secret) },
	"v1/Service":                    func() any { return new(corev1.Service) },
	"v1/PersistentVolumeClaim":      func() any { return new(corev1.PersistentVolumeClaim) },
	"apps/v1/Deployment":            func() any { return new(appsv1.Deployment) },
	"policy/v1/PodDisruptionBudget": func() any { return new(policyv1.PodDisruptionBudget) },
	"batch/v1/CronJob":              func() any { return new(batchv1.CronJob) },
	"networking.k8s.io/v1/Ingress":  func() any { return new(networkingv1.Ingress) },
}

// manifests decodes every document of deploy/k8s, by type.
func manifests(t *testing.T) []any {
	t.Helper()
	files, err := filepath.Glob("k8s/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "k8s/secret.yaml.example")
	var objs []any
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range bytes.Split(b, []byte("\n---\n")) {
			objs = append(objs, decodeManifest(t, f, i, doc))
		}
	}
	return objs
}

func decodeManifest(t *testing.T, file string, i int, doc []byte) any {
	t.Helper()
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &head); err != nil {
		t.Fatalf("%s document %d: %v", file, i, err)
	}
	mk, ok := kinds[head.APIVersion+"/"+head.Kind]
	if !ok {
		t.Fatalf("%s document %d: %s %s is not a kind this test knows", file, i, head.APIVersion, head.Kind)
	}
	obj := mk()
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		t.Fatalf("%s document %d (%s): %v", file, i, head.Kind, err)
	}
	return obj
}

func find[T any](t *testing.T, objs []any) *T {
	t.Helper()
	var found *T
	for _, o := range objs {
		if v, ok := o.(*T); ok {
			if found != nil {
				t.Fatalf("two %T", v)
			}
			found = v
		}
	}
	if found == nil {
		var zero T
		t.Fatalf("no %T in deploy/k8s", zero)
	}
	return found
}

func TestKubernetes(t *testing.T) {
	t.Parallel()
	objs := manifests(t)
	dep := find[appsv1.Deployment](t, objs)
	svc := find[corev1.Service](t, objs)
	pdb := find[policyv1.PodDisruptionBudget](t, objs)
	cm := find[corev1.ConfigMap](t, objs)
	secret := find[corev1.Secret](t, objs)
	ing := find[networkingv1.Ingress](t, objs)
	cron := find[batchv1.CronJob](t, objs)
	pvc := find[corev1.PersistentVolumeClaim](t, objs)

	if dep.Spec.Replicas == nil || *dep.Spec.Replicas < 2 {
		t.Errorf("replicas %v, want 2 or more", dep.Spec.Replicas)
	}
	pod := dep.Spec.Template
	if !reflect.DeepEqual(dep.Spec.Selector.MatchLabels, pod.Labels) {
		t.Errorf("the deployment selects %v, its pods are %v", dep.Spec.Selector.MatchLabels, pod.Labels)
	}
	if !reflect.DeepEqual(svc.Spec.Selector, pod.Labels) {
		t.Errorf("the service selects %v, the pods are %v", svc.Spec.Selector, pod.Labels)
	}
	if !reflect.DeepEqual(pdb.Spec.Selector.MatchLabels, pod.Labels) {
		t.Errorf("the PDB selects %v, the pods are %v", pdb.Spec.Selector.MatchLabels, pod.Labels)
	}
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() < 1 ||
		pdb.Spec.MinAvailable.IntValue() >= int(*dep.Spec.Replicas) {
		t.Errorf("PDB minAvailable %v: want at least 1 and fewer than the replicas (a drain must make progress)", pdb.Spec.MinAvailable)
	}
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	probe := func(name string, p *corev1.Probe, path string) {
		t.Helper()
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != path || p.HTTPGet.Port.String() != "http" {
			t.Errorf("%s probe %+v, want GET %s on the http port", name, p, path)
		}
	}
	probe("readiness", c.ReadinessProbe, "/ready")
	probe("liveness", c.LivenessProbe, "/health")
	if len(c.Ports) != 2 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != 8000 ||
		c.Ports[1].Name != "metrics" || c.Ports[1].ContainerPort != 9100 {
		t.Errorf("ports %+v, want http 8000 and metrics 9100", c.Ports)
	}
	if cm.Data["GOLF_METRICS_ADDR"] != ":9100" || pod.Annotations["prometheus.io/port"] != "9100" {
		t.Errorf("GOLF_METRICS_ADDR %q, scrape port %q: want the metrics port", cm.Data["GOLF_METRICS_ADDR"], pod.Annotations["prometheus.io/port"])
	}
	for _, p := range svc.Spec.Ports {
		if p.TargetPort.String() == "metrics" || p.TargetPort.IntValue() == 9100 {
			t.Error("the service exposes the metrics port: the ingress could reach it")
		}
	}
	if svc.Spec.Ports[0].TargetPort.String() != "http" {
		t.Errorf("the service targets %v", svc.Spec.Ports[0].TargetPort)
	}
	if sc := c.SecurityContext; sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		pod.Spec.SecurityContext == nil || pod.Spec.SecurityContext.RunAsNonRoot == nil || !*pod.Spec.SecurityContext.RunAsNonRoot {
		t.Error("the pod must run as non-root on a read-only root file system")
	}
	if grace := pod.Spec.TerminationGracePeriodSeconds; grace == nil || *grace <= 15 {
		t.Errorf("terminationGracePeriodSeconds %v: want more than the preStop pause plus GOLF_SHUTDOWN_TIMEOUT", grace)
	}

	// Settings come from the ConfigMap and the Secret, by name, and are all
	// variables the server reads.
	var from []string
	for _, e := range c.EnvFrom {
		switch {
		case e.ConfigMapRef != nil:
			from = append(from, "configmap/"+e.ConfigMapRef.Name)
		case e.SecretRef != nil:
			from = append(from, "secret/"+e.SecretRef.Name)
		}
	}
	if want := []string{"configmap/" + cm.Name, "secret/" + secret.Name}; !slices.Equal(from, want) {
		t.Errorf("envFrom %q, want %q", from, want)
	}
	var vars []string
	for k := range cm.Data {
		vars = append(vars, k)
	}
	for k := range secret.StringData {
		vars = append(vars, k)
	}
	for _, e := range c.Env {
		vars = append(vars, e.Name)
	}
	checkDocumented(t, "deploy/k8s", vars)
	for _, k := range []string{"DATABASE_URL", "REDIS_URL", "GOLF_SECRET"} {
		if _, ok := secret.StringData[k]; !ok {
			t.Errorf("the secret lacks %s", k)
		}
		if _, ok := cm.Data[k]; ok {
			t.Errorf("%s is in the ConfigMap: it holds credentials", k)
		}
	}
	if !strings.HasPrefix(secret.StringData["DATABASE_URL"], "postgres://") || !strings.HasPrefix(secret.StringData["REDIS_URL"], "redis") {
		t.Errorf("secret URLs %q, %q", secret.StringData["DATABASE_URL"], secret.StringData["REDIS_URL"])
	}

	backend := ing.Spec.Rules[0].HTTP.Paths[0].Backend.Service
	if backend == nil || backend.Name != svc.Name || backend.Port.Name != "http" || len(ing.Spec.TLS) == 0 {
		t.Errorf("the ingress routes to %+v (TLS %v), want the golf service's http port over TLS", backend, ing.Spec.TLS)
	}

	job := cron.Spec.JobTemplate.Spec.Template.Spec
	if cron.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("backup concurrencyPolicy %q, want Forbid", cron.Spec.ConcurrencyPolicy)
	}
	bc := job.Containers[0]
	if args := strings.Join(bc.Args, " "); !strings.HasPrefix(args, "backup --to /backups --keep ") {
		t.Errorf("backup args %q", args)
	}
	if len(bc.Env) != 1 || bc.Env[0].ValueFrom == nil || bc.Env[0].ValueFrom.SecretKeyRef == nil ||
		bc.Env[0].ValueFrom.SecretKeyRef.Name != secret.Name || bc.Env[0].ValueFrom.SecretKeyRef.Key != "DATABASE_URL" {
		t.Errorf("backup env %+v, want DATABASE_URL from the secret", bc.Env)
	}
	if len(job.Volumes) != 1 || job.Volumes[0].PersistentVolumeClaim == nil || job.Volumes[0].PersistentVolumeClaim.ClaimName != pvc.Name {
		t.Errorf("backup volumes %+v, want the claim %s", job.Volumes, pvc.Name)
	}
}

// The strict decoding this test relies on does catch a misspelt field.
func TestKubernetesStrict(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("k8s/deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(b), "readinessProbe:", "readynessProbe:", 1)
	if bad == string(b) {
		t.Fatal("deployment.yaml has no readinessProbe to misspell")
	}
	if err := yaml.UnmarshalStrict([]byte(bad), new(appsv1.Deployment)); err == nil || !strings.Contains(err.Error(), "readynessProbe") {
		t.Errorf("a misspelt field decoded: %v", err)
	}
	wrong := strings.Replace(string(b), "replicas: 2", "replicas: two", 1)
	if err := yaml.UnmarshalStrict([]byte(wrong), new(appsv1.Deployment)); err == nil {
		t.Error("replicas: two decoded")
	}
}
