/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as agent_config from "../agent/config.js";
import type * as agent_context from "../agent/context.js";
import type * as agent_generate from "../agent/generate.js";
import type * as agent_guards from "../agent/guards.js";
import type * as agent_instructions from "../agent/instructions.js";
import type * as agent_languageModel from "../agent/languageModel.js";
import type * as agent_modelErrors from "../agent/modelErrors.js";
import type * as agent_models from "../agent/models.js";
import type * as agent_runs from "../agent/runs.js";
import type * as agent_runtimeTools from "../agent/runtimeTools.js";
import type * as agent_tools from "../agent/tools.js";
import type * as agentFiles from "../agentFiles.js";
import type * as appEnv from "../appEnv.js";
import type * as auth from "../auth.js";
import type * as checkpoints from "../checkpoints.js";
import type * as convexConnection from "../convexConnection.js";
import type * as deployments from "../deployments.js";
import type * as errors from "../errors.js";
import type * as files from "../files.js";
import type * as functions from "../functions.js";
import type * as http from "../http.js";
import type * as model_blobs from "../model/blobs.js";
import type * as model_deployments from "../model/deployments.js";
import type * as model_fileStore from "../model/fileStore.js";
import type * as model_history from "../model/history.js";
import type * as model_platform from "../model/platform.js";
import type * as model_projects from "../model/projects.js";
import type * as model_runnerSecret from "../model/runnerSecret.js";
import type * as model_secretBox from "../model/secretBox.js";
import type * as model_templates from "../model/templates.js";
import type * as model_validators from "../model/validators.js";
import type * as models from "../models.js";
import type * as projects from "../projects.js";
import type * as runtimeCalls from "../runtimeCalls.js";
import type * as secrets from "../secrets.js";
import type * as secretsCrypto from "../secretsCrypto.js";
import type * as sessions from "../sessions.js";
import type * as shares from "../shares.js";
import type * as templates from "../templates.js";
import type * as templates_bundle from "../templates/bundle.js";
import type * as transfer from "../transfer.js";
import type * as users from "../users.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  "agent/config": typeof agent_config;
  "agent/context": typeof agent_context;
  "agent/generate": typeof agent_generate;
  "agent/guards": typeof agent_guards;
  "agent/instructions": typeof agent_instructions;
  "agent/languageModel": typeof agent_languageModel;
  "agent/modelErrors": typeof agent_modelErrors;
  "agent/models": typeof agent_models;
  "agent/runs": typeof agent_runs;
  "agent/runtimeTools": typeof agent_runtimeTools;
  "agent/tools": typeof agent_tools;
  agentFiles: typeof agentFiles;
  appEnv: typeof appEnv;
  auth: typeof auth;
  checkpoints: typeof checkpoints;
  convexConnection: typeof convexConnection;
  deployments: typeof deployments;
  errors: typeof errors;
  files: typeof files;
  functions: typeof functions;
  http: typeof http;
  "model/blobs": typeof model_blobs;
  "model/deployments": typeof model_deployments;
  "model/fileStore": typeof model_fileStore;
  "model/history": typeof model_history;
  "model/platform": typeof model_platform;
  "model/projects": typeof model_projects;
  "model/runnerSecret": typeof model_runnerSecret;
  "model/secretBox": typeof model_secretBox;
  "model/templates": typeof model_templates;
  "model/validators": typeof model_validators;
  models: typeof models;
  projects: typeof projects;
  runtimeCalls: typeof runtimeCalls;
  secrets: typeof secrets;
  secretsCrypto: typeof secretsCrypto;
  sessions: typeof sessions;
  shares: typeof shares;
  templates: typeof templates;
  "templates/bundle": typeof templates_bundle;
  transfer: typeof transfer;
  users: typeof users;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {
  agent: import("@convex-dev/agent/_generated/component.js").ComponentApi<"agent">;
  rateLimiter: import("@convex-dev/rate-limiter/_generated/component.js").ComponentApi<"rateLimiter">;
};
