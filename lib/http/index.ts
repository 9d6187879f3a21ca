export * from "../errors/app-error";
export * from "./respond";
