#version 330 core
// Resolves the additive line density: the accumulated (colour × weight, weight) per
// pixel becomes the mean colour, with opacity 1 − exp(−contrast × weight). Lines are
// widened to u_width pixels: each pixel takes the densest texel of the u_width × u_width
// block around it.
in vec2 v_uv;
uniform sampler2D u_acc;
uniform float u_contrast;
uniform int u_width;
uniform vec2 u_texel;
out vec4 frag;
void main() {
  vec4 a = vec4(0.0);
  int lo = -(u_width - 1) / 2;
  for (int i = 0; i < u_width; ++i)
    for (int j = 0; j < u_width; ++j) {
      vec4 b = texture(u_acc, v_uv + vec2(float(lo + i), float(lo + j)) * u_texel);
      if (b.a > a.a) a = b;
    }
  if (a.a <= 0.0) discard;
  frag = vec4(a.rgb / a.a, 1.0 - exp(-u_contrast * a.a));
}
