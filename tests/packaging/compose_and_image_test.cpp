// The compose file and the image: GPU reservation, health check, volumes, token, log rotation,
// the optional Prometheus; every YAML file parses; versions agree with the CMake project.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "manifest_support.hpp"

namespace ih::test {
namespace {

class ComposeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    compose_ = YAML::LoadFile(packaging_path("docker/compose.yaml"));
    agent_ = compose_["services"]["infinite-hashes"];
    ASSERT_TRUE(agent_.IsMap());
  }
  YAML::Node compose_, agent_;
};

TEST_F(ComposeTest, ReservesEveryGpu) {
  const YAML::Node device = agent_["deploy"]["resources"]["reservations"]["devices"][0];
  EXPECT_EQ(device["driver"].as<std::string>(), "nvidia");
  EXPECT_EQ(device["count"].as<std::string>(), "all");
  EXPECT_TRUE(contains(strings(device["capabilities"]), "gpu"));
  EXPECT_TRUE(contains(strings(device["capabilities"]), "compute"));
}

TEST_F(ComposeTest, HealthRestartLogsAndStop) {
  const std::vector<std::string> test = strings(agent_["healthcheck"]["test"]);
  ASSERT_FALSE(test.empty());
  EXPECT_EQ(test.back(), "http://127.0.0.1:4048/health");
  EXPECT_EQ(agent_["restart"].as<std::string>(), "unless-stopped");
  EXPECT_EQ(agent_["logging"]["driver"].as<std::string>(), "json-file");
  EXPECT_TRUE(agent_["logging"]["options"]["max-size"].IsScalar());
  EXPECT_TRUE(agent_["logging"]["options"]["max-file"].IsScalar());
  EXPECT_EQ(agent_["stop_signal"].as<std::string>(), "SIGTERM");
  EXPECT_GE(duration_seconds(agent_["stop_grace_period"].as<std::string>()), 10);
}

TEST_F(ComposeTest, ConfigDataAndTokenComeFromOutside) {
  const std::vector<std::string> volumes = strings(agent_["volumes"]);
  EXPECT_TRUE(contains(volumes, "./config.json:/etc/infinite-hashes/config.json:ro"));
  EXPECT_TRUE(contains(volumes, "ih-data:/var/lib/infinite-hashes"));
  EXPECT_TRUE(compose_["volumes"]["ih-data"].IsDefined());
  EXPECT_TRUE(contains(strings(agent_["env_file"]), "./infinite-hashes.env"));
  EXPECT_TRUE(std::filesystem::exists(packaging_path("docker/infinite-hashes.env.example")));
  EXPECT_NE(read_text(packaging_path("docker/infinite-hashes.env.example")).find("IH_API_TOKEN="),
            std::string::npos);
  const std::vector<std::string> command = strings(agent_["command"]);
  EXPECT_TRUE(contains(command, "--api-bind"));
  EXPECT_TRUE(contains(command, "0.0.0.0:4048"));
  EXPECT_TRUE(agent_["read_only"].as<bool>());
  EXPECT_TRUE(contains(strings(agent_["cap_drop"]), "ALL"));
}

TEST_F(ComposeTest, PrometheusIsOptionalAndScrapesMetricsWithTheToken) {
  const YAML::Node prometheus = compose_["services"]["prometheus"];
  ASSERT_TRUE(prometheus.IsMap());
  EXPECT_TRUE(contains(strings(prometheus["profiles"]), "monitoring"));
  const std::vector<std::string> volumes = strings(prometheus["volumes"]);
  EXPECT_TRUE(contains(volumes, "./prometheus.yml:/etc/prometheus/prometheus.yml:ro"));
  EXPECT_TRUE(contains(volumes, "./api-token:/etc/prometheus/api-token:ro"));

  const YAML::Node config = YAML::LoadFile(packaging_path("docker/prometheus.yml"));
  const YAML::Node job = find_by(config["scrape_configs"], "job_name", "infinite-hashes");
  ASSERT_TRUE(job.IsMap());
  EXPECT_EQ(job["metrics_path"].as<std::string>(), "/metrics");
  EXPECT_EQ(job["authorization"]["type"].as<std::string>(), "Bearer");
  EXPECT_EQ(job["authorization"]["credentials_file"].as<std::string>(), "api-token");
  EXPECT_TRUE(contains(strings(job["static_configs"][0]["targets"]), "infinite-hashes:4048"));
}

TEST(PackagingYaml, EveryFileParses) {
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(IH_PACKAGING_DIR)) {
    const auto extension = entry.path().extension();
    if (extension != ".yaml" && extension != ".yml") continue;
    SCOPED_TRACE(entry.path().string());
    std::vector<YAML::Node> documents;
    EXPECT_NO_THROW(documents = YAML::LoadAllFromFile(entry.path().string()));
    EXPECT_FALSE(documents.empty());
    ++files;
  }
  EXPECT_GE(files, 7);
}

// The value of `ARG name=value` in the Dockerfile.
std::string dockerfile_arg(const std::string& dockerfile, const std::string& name) {
  std::smatch match;
  const std::regex pattern("\\nARG " + name + "=\"?([^\"\\n]*)\"?\\n");
  return std::regex_search(dockerfile, match, pattern) ? match[1].str() : std::string();
}

TEST(Image, BuildsOnCuda12ForTheOldestDriverAndLabelsIt) {
  const std::string dockerfile = read_text(packaging_path("docker/Dockerfile"));
  EXPECT_EQ(dockerfile_arg(dockerfile, "CUDA_VERSION").substr(0, 3), "12.");
  EXPECT_EQ(dockerfile_arg(dockerfile, "IH_VERSION"), IH_PROJECT_VERSION);
  // PTX (a virtual architecture: an entry without -real) so newer GPUs can JIT the kernel.
  const std::string archs = dockerfile_arg(dockerfile, "IH_CUDA_ARCHITECTURES");
  EXPECT_TRUE(std::regex_search(archs, std::regex("(^|;)[0-9]+(;|$)"))) << archs;
  for (const char* needle :
       {"io.infinite-hashes.min-nvidia-driver=\"525.60.13\"", "NVIDIA_REQUIRE_CUDA=\"cuda>=12.0\"",
        "NVIDIA_VISIBLE_DEVICES=all", "NVIDIA_DRIVER_CAPABILITIES=compute,utility",
        "/etc/OpenCL/vendors/nvidia.icd", "libnvidia-opencl.so.1", "EXPOSE 4048",
        "http://127.0.0.1:4048/health", "USER 10001:10001", "VOLUME [\"/var/lib/infinite-hashes\"]",
        "org.opencontainers.image.source", "org.opencontainers.image.licenses",
        "scripts/build-release.sh"})
    EXPECT_NE(dockerfile.find(needle), std::string::npos) << needle;
}

TEST(Image, TagsAndChangelogFollowTheProjectVersion) {
  const YAML::Node compose = YAML::LoadFile(packaging_path("docker/compose.yaml"));
  EXPECT_EQ(compose["services"]["infinite-hashes"]["image"].as<std::string>(),
            std::string("infinite-hashes:") + IH_PROJECT_VERSION);
  for (const char* name : {"initContainers", "containers"})
    for (const YAML::Node& container : document_of_kind(
             "kubernetes/daemonset.yaml", "DaemonSet")["spec"]["template"]["spec"][name])
      EXPECT_EQ(container["image"].as<std::string>(),
                std::string("infinite-hashes:") + IH_PROJECT_VERSION);
  const std::string changelog = read_text(packaging_path("deb/changelog"));
  EXPECT_EQ(changelog.rfind(std::string("infinite-hashes (") + IH_PROJECT_VERSION + ")", 0), 0u);
}

}  // namespace
}  // namespace ih::test
