#include "artifacts/file_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiln::artifacts {
namespace {

std::string Refusal(const std::vector<FileListItem>& files, const FileListLimits& limits = {}) {
  Status s = ValidateFileList(files, "files[].path", limits);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  return s.message();
}

TEST(FileListTest, SafeRelativePathsPass) {
  for (const char* path : {"a", "a.txt", "sub/b.txt", "a/b/c/d", "..a", "a..", "x/.hidden"}) {
    EXPECT_TRUE(ValidateFilePath(path).ok()) << path;
  }
  EXPECT_TRUE(ValidateFileList({{"b", 1}, {"a/c", 2}, {"a/d", 0}}, "files[].path").ok());
  EXPECT_TRUE(ValidateFileList({}, "files[].path").ok());
}

TEST(FileListTest, EscapingOrOddPathsAreRefusedNamingTheEntry) {
  const std::vector<std::string> bad = {
      "",     "/tmp/abs", "../escape", "../../escape", "a/../../b", "a/..",  ".",
      "./a",  "a/./b",    "a//b",      "a/",           "a\\b",      "..\\x", std::string("a\0b", 3),
      "a\nb", "a\tb",     "a\x7f"};
  for (const std::string& path : bad) {
    const std::string message = Refusal({{"ok", 1}, {path, 1}});
    EXPECT_EQ(message.rfind("files[1].path: ", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(message.find('\0'), std::string::npos);
  }
}

TEST(FileListTest, LimitsOnDepthLengthCountAndSize) {
  FileListLimits limits;
  limits.max_depth = 3;
  limits.max_path_bytes = 20;
  limits.max_segment_bytes = 8;
  limits.max_files = 2;
  limits.max_total_bytes = 100;
  EXPECT_TRUE(ValidateFileList({{"a/b/c", 50}, {"d", 50}}, "files[]", limits).ok());
  EXPECT_NE(Refusal({{"a/b/c/d", 1}}, limits).find("deeper than 3"), std::string::npos);
  EXPECT_NE(Refusal({{"abcdefghi", 1}}, limits).find("longer than 8"), std::string::npos);
  EXPECT_NE(Refusal({{"abcdefg/abcdefg/abcdefg", 1}}, limits).find("longer than 20"),
            std::string::npos);
  EXPECT_NE(Refusal({{"a", 1}, {"b", 1}, {"c", 1}}, limits).find("at most 2 files"),
            std::string::npos);
  EXPECT_NE(Refusal({{"a", 60}, {"b", 41}}, limits).find("more than 100 bytes"), std::string::npos);
  EXPECT_NE(Refusal({{"a", -1}}).find("negative size"), std::string::npos);
  // Sizes near the int64 limit cannot overflow the total.
  EXPECT_NE(Refusal({{"a", INT64_MAX}, {"b", INT64_MAX}}).find("more than"), std::string::npos);
}

TEST(FileListTest, DuplicatesAndFileFolderClashesAreRefused) {
  EXPECT_EQ(Refusal({{"a", 1}, {"b", 1}, {"a", 2}}), "files[2].path: duplicate path 'a'");
  EXPECT_EQ(Refusal({{"a/b/c", 1}, {"a/b", 1}}),
            "files[0].path: 'a/b' is both a file and the folder of 'a/b/c'");
  EXPECT_NE(Refusal({{"a", 1}, {"a/b", 1}}).find("both a file"), std::string::npos);
}

TEST(FileListTest, FieldWithoutBracketsGetsTheIndexAppended) {
  Status s = ValidateFileList({{"../x", 1}}, "entry", {});
  EXPECT_EQ(s.message().rfind("entry 0: ", 0), 0u) << s.message();
}

}  // namespace
}  // namespace kiln::artifacts
