// PNG checks for the gl tests (stb_image from libstb).
//   png_stats A.png                        -> "W H distinct_colours"
//   png_stats A.png B.png x0 y0 x1 y1      -> fraction of pixels in the rectangle that differ
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <set>

int main(int argc, char** argv) {
  if (argc != 2 && argc != 7) {
    std::fprintf(stderr, "usage: png_stats A.png [B.png x0 y0 x1 y1]\n");
    return 2;
  }
  int w, h, n;
  unsigned char* a = stbi_load(argv[1], &w, &h, &n, 3);
  if (!a) {
    std::fprintf(stderr, "png_stats: cannot read %s\n", argv[1]);
    return 2;
  }
  if (argc == 2) {
    std::set<unsigned> colours;
    for (int i = 0; i < w * h && colours.size() < 100000; ++i)
      colours.insert(a[3 * i] << 16 | a[3 * i + 1] << 8 | a[3 * i + 2]);
    std::printf("%d %d %zu\n", w, h, colours.size());
    stbi_image_free(a);
    return 0;
  }
  int w2, h2;
  unsigned char* b = stbi_load(argv[2], &w2, &h2, &n, 3);
  if (!b || w2 != w || h2 != h) {
    std::fprintf(stderr, "png_stats: %s is missing or of another size\n", argv[2]);
    stbi_image_free(a);
    if (b) stbi_image_free(b);
    return 2;
  }
  const int x0 = std::atoi(argv[3]), y0 = std::atoi(argv[4]), x1 = std::atoi(argv[5]), y1 = std::atoi(argv[6]);
  long diff = 0, total = 0;
  for (int y = y0; y < y1 && y < h; ++y)
    for (int x = x0; x < x1 && x < w; ++x) {
      const int i = 3 * (y * w + x);
      diff += a[i] != b[i] || a[i + 1] != b[i + 1] || a[i + 2] != b[i + 2];
      ++total;
    }
  std::printf("%.6f\n", total ? static_cast<double>(diff) / total : 0.0);
  stbi_image_free(a);
  stbi_image_free(b);
  return 0;
}
