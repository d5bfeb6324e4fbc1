// Package deploy holds the deployment files (docker-compose.yml, nginx/,
// k8s/; docs/deploy.md) and the tests that exercise them: the compose file
// as compose-go loads it, the Kubernetes manifests decoded strictly into
// their API types, and the nginx configuration by a real nginx in front of
// two golf servers.
package deploy
