// The Kubernetes manifests carry what an operator relies on: GPU scheduling, probes on /health,
// a SIGTERM grace period, a locked-down security context, the config and key mounts.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "manifest_support.hpp"

namespace ih::test {
namespace {

constexpr int kApiPort = 4048;

class DaemonSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemonset_ = document_of_kind("kubernetes/daemonset.yaml", "DaemonSet");
    pod_ = daemonset_["spec"]["template"]["spec"];
    agent_ = find_by(pod_["containers"], "name", "agent");
    ASSERT_TRUE(agent_.IsMap()) << "no container named 'agent'";
  }

  YAML::Node volume(const std::string& name) const {
    return find_by(pod_["volumes"], "name", name);
  }
  YAML::Node mount(const YAML::Node& container, const std::string& name) const {
    return find_by(container["volumeMounts"], "name", name);
  }
  std::vector<std::string> args() const { return strings(agent_["args"]); }

  YAML::Node daemonset_, pod_, agent_;
};

TEST_F(DaemonSetTest, RunsOnGpuNodesWithGpuLimits) {
  EXPECT_TRUE(pod_["nodeSelector"].IsMap() && pod_["nodeSelector"].size() > 0);
  EXPECT_TRUE(find_by(pod_["tolerations"], "key", "nvidia.com/gpu").IsMap());
  EXPECT_GE(agent_["resources"]["limits"]["nvidia.com/gpu"].as<int>(), 1);
  EXPECT_TRUE(agent_["resources"]["requests"]["cpu"].IsScalar());
  EXPECT_TRUE(agent_["resources"]["requests"]["memory"].IsScalar());
  EXPECT_TRUE(agent_["resources"]["limits"]["memory"].IsScalar());
  EXPECT_EQ(daemonset_["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"].as<int>(), 1);
}

TEST_F(DaemonSetTest, PriorityClassExists) {
  const YAML::Node priority = document_of_kind("kubernetes/priorityclass.yaml", "PriorityClass");
  EXPECT_EQ(pod_["priorityClassName"].as<std::string>(),
            priority["metadata"]["name"].as<std::string>());
  EXPECT_EQ(priority["preemptionPolicy"].as<std::string>(), "Never");
}

TEST_F(DaemonSetTest, ProbesAskHealthOnTheApiPort) {
  const YAML::Node port = find_by(agent_["ports"], "name", "api");
  ASSERT_TRUE(port.IsMap());
  EXPECT_EQ(port["containerPort"].as<int>(), kApiPort);
  for (const char* probe : {"startupProbe", "livenessProbe", "readinessProbe"}) {
    SCOPED_TRACE(probe);
    const YAML::Node get = agent_[probe]["httpGet"];
    ASSERT_TRUE(get.IsMap());
    EXPECT_EQ(get["path"].as<std::string>(), "/health");
    EXPECT_EQ(get["port"].as<std::string>(), "api");
    EXPECT_GE(agent_[probe]["timeoutSeconds"].as<int>(), 1);
  }
}

TEST_F(DaemonSetTest, SigtermGracePeriodCoversPreStopAndReplyWait) {
  const int grace = pod_["terminationGracePeriodSeconds"].as<int>();
  const std::vector<std::string> pre_stop =
      strings(agent_["lifecycle"]["preStop"]["exec"]["command"]);
  ASSERT_EQ(pre_stop.size(), 2u);
  EXPECT_EQ(pre_stop[0], "sleep");
  // The agent waits up to 2 s for pool replies after SIGTERM, then writes its report.
  EXPECT_GE(grace, std::stoi(pre_stop[1]) + 2 + 20);
}

TEST_F(DaemonSetTest, EveryContainerIsLockedDown) {
  const YAML::Node pod_security = pod_["securityContext"];
  EXPECT_TRUE(pod_security["runAsNonRoot"].as<bool>());
  EXPECT_NE(pod_security["runAsUser"].as<int>(), 0);
  EXPECT_EQ(pod_security["seccompProfile"]["type"].as<std::string>(), "RuntimeDefault");
  EXPECT_FALSE(pod_["automountServiceAccountToken"].as<bool>());
  for (const char* list : {"initContainers", "containers"})
    for (const YAML::Node& container : pod_[list]) {
      SCOPED_TRACE(container["name"].as<std::string>());
      const YAML::Node security = container["securityContext"];
      EXPECT_FALSE(security["allowPrivilegeEscalation"].as<bool>());
      EXPECT_TRUE(security["readOnlyRootFilesystem"].as<bool>());
      EXPECT_TRUE(contains(strings(security["capabilities"]["drop"]), "ALL"));
      EXPECT_FALSE(security["privileged"] && security["privileged"].as<bool>());
      EXPECT_FALSE(security["runAsUser"] && security["runAsUser"].as<int>() == 0);
    }
}

TEST_F(DaemonSetTest, WritablePathsAreVolumes) {
  // readOnlyRootFilesystem: data, cache and /tmp must each be a mounted volume.
  for (const char* name : {"data", "cache", "tmp"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(volume(name)["emptyDir"].IsDefined());
    EXPECT_TRUE(mount(agent_, name).IsMap());
  }
  EXPECT_EQ(mount(agent_, "data")["mountPath"].as<std::string>(), "/var/lib/infinite-hashes");
  EXPECT_TRUE(contains(args(), "/var/lib/infinite-hashes"));
}

TEST_F(DaemonSetTest, ConfigComesFromTheConfigMap) {
  const YAML::Node config_map = document_of_kind("kubernetes/configmap.yaml", "ConfigMap");
  const YAML::Node config = volume("config")["configMap"];
  EXPECT_EQ(config["name"].as<std::string>(), config_map["metadata"]["name"].as<std::string>());
  EXPECT_TRUE(find_by(config["items"], "key", "config.json").IsMap());
  EXPECT_EQ(mount(agent_, "config")["mountPath"].as<std::string>(), "/etc/infinite-hashes");
  EXPECT_TRUE(mount(agent_, "config")["readOnly"].as<bool>());
  EXPECT_TRUE(contains(args(), "/etc/infinite-hashes/config.json"));
  const auto json = nlohmann::json::parse(config_map["data"]["config.json"].as<std::string>());
  EXPECT_TRUE(json.contains("url"));
}

TEST_F(DaemonSetTest, KeyIsCopiedOwnerOnlyOntoMemory) {
  // The Secret's files are root-owned: readable to the agent's user only through fsGroup, which
  // also makes them group-readable, so an init container copies the key with mode 0600.
  EXPECT_EQ(pod_["securityContext"]["fsGroup"].as<int>(),
            pod_["securityContext"]["runAsUser"].as<int>());
  const YAML::Node secret = volume("secret")["secret"];
  EXPECT_EQ(secret["secretName"].as<std::string>(), "infinite-hashes");
  EXPECT_EQ(file_mode(secret["defaultMode"]) & 077, 0);
  EXPECT_EQ(volume("key")["emptyDir"]["medium"].as<std::string>(), "Memory");

  const YAML::Node init = find_by(pod_["initContainers"], "name", "agent-key");
  ASSERT_TRUE(init.IsMap());
  const std::vector<std::string> copy = strings(init["command"]);
  ASSERT_EQ(copy.size(), 5u);
  EXPECT_EQ(copy[0], "install");
  EXPECT_EQ(copy[2], "0600");
  const std::string secret_dir = mount(init, "secret")["mountPath"].as<std::string>();
  const std::string key_dir = mount(init, "key")["mountPath"].as<std::string>();
  EXPECT_EQ(copy[3], secret_dir + "/agent.key");
  EXPECT_EQ(copy[4], key_dir + "/agent.key");
  EXPECT_TRUE(mount(init, "secret")["readOnly"].as<bool>());

  EXPECT_TRUE(mount(agent_, "key")["readOnly"].as<bool>());
  EXPECT_EQ(mount(agent_, "key")["mountPath"].as<std::string>(), key_dir);
  EXPECT_FALSE(mount(agent_, "secret").IsDefined() && mount(agent_, "secret").IsMap());
  const auto a = args();
  const auto key_flag = std::find(a.begin(), a.end(), "--key");
  ASSERT_NE(key_flag, a.end());
  ASSERT_NE(key_flag + 1, a.end());
  EXPECT_EQ(*(key_flag + 1), key_dir + "/agent.key");
}

TEST_F(DaemonSetTest, ApiBeyondLoopbackHasItsTokenFromTheSecret) {
  const auto a = args();
  const auto bind = std::find(a.begin(), a.end(), "--api-bind");
  ASSERT_NE(bind, a.end());
  EXPECT_EQ(*(bind + 1), "0.0.0.0:" + std::to_string(kApiPort));
  const YAML::Node token = find_by(agent_["env"], "name", "IH_API_TOKEN");
  ASSERT_TRUE(token.IsMap());
  EXPECT_EQ(token["valueFrom"]["secretKeyRef"]["name"].as<std::string>(), "infinite-hashes");
  EXPECT_EQ(token["valueFrom"]["secretKeyRef"]["key"].as<std::string>(), "api-token");
}

TEST_F(DaemonSetTest, PrometheusScrapesMetrics) {
  const YAML::Node annotations = daemonset_["spec"]["template"]["metadata"]["annotations"];
  EXPECT_EQ(annotations["prometheus.io/scrape"].as<std::string>(), "true");
  EXPECT_EQ(annotations["prometheus.io/port"].as<int>(), kApiPort);
  EXPECT_EQ(annotations["prometheus.io/path"].as<std::string>(), "/metrics");
}

TEST(Kustomization, ListsEveryManifestAndGeneratesTheSecret) {
  const YAML::Node kustomization = YAML::LoadFile(packaging_path("kubernetes/kustomization.yaml"));
  const std::vector<std::string> resources = strings(kustomization["resources"]);
  for (const auto& entry : std::filesystem::directory_iterator(packaging_path("kubernetes"))) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".yaml" && name != "kustomization.yaml") {
      EXPECT_TRUE(contains(resources, name)) << name << " is not in kustomization.yaml";
    }
  }
  for (const auto& name : resources)
    EXPECT_TRUE(std::filesystem::exists(packaging_path("kubernetes/" + name))) << name;

  const YAML::Node secret = find_by(kustomization["secretGenerator"], "name", "infinite-hashes");
  ASSERT_TRUE(secret.IsMap());
  const std::vector<std::string> files = strings(secret["files"]);
  EXPECT_TRUE(contains(files, "api-token=secrets/api-token"));
  EXPECT_TRUE(contains(files, "agent.key=secrets/agent.key"));
  const YAML::Node image = find_by(kustomization["images"], "name", "infinite-hashes");
  EXPECT_EQ(image["newTag"].as<std::string>(), IH_PROJECT_VERSION);
}

}  // namespace
}  // namespace ih::test
