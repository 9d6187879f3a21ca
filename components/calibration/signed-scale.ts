/** The signed colour scale and its zero-centred domain now live with the shared heatmap (components/charts/color-scale). */
export { signedScale, symmetricDomain } from "@/components/charts/color-scale";
