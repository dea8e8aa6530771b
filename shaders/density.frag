#version 330 core
// Resolves the additive line density: the accumulated (colour × weight, weight) per
// pixel becomes the mean colour, with opacity 1 − exp(−contrast × weight).
in vec2 v_uv;
uniform sampler2D u_acc;
uniform float u_contrast;
out vec4 frag;
void main() {
  vec4 a = texture(u_acc, v_uv);
  if (a.a <= 0.0) discard;
  frag = vec4(a.rgb / a.a, 1.0 - exp(-u_contrast * a.a));
}
