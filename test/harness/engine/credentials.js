'use strict';
/**
 * An ICredentialsHelper over an in-memory credential store, mirroring n8n's cli CredentialsHelper
 * (packages/cli/src/credentials-helper.ts, n8n 2.41.1): decrypted data gets the credential type's defaults and has its expressions
 * resolved with n8n-workflow's expression engine, and a generic `authenticate` is applied by
 * resolving each `={{ ... }}` key/value with `$credentials` through `getSimpleParameterValue`.
 */
const { n8n } = require('./n8n');

const mockNode = { name: '', typeVersion: 1, type: 'mock', position: [0, 0], parameters: {} };

/** An error like n8n's CredentialNotFoundError. */
function credentialNotFound(id, type) {
	const error = new Error(`Credential with ID "${id}" does not exist for type "${type}".`);
	error.name = 'CredentialNotFoundError';
	return error;
}

/**
 * @param {{
 *   credentialTypes: Record<string, { type: any }>,
 *   nodeTypes: import('n8n-workflow').INodeTypes,
 *   overwrites?: Record<string, Record<string, unknown>>,
 * }} options `overwrites`: n8n's CREDENTIALS_OVERWRITE_DATA, by credential type
 */
function createCredentialsHelper({ credentialTypes, nodeTypes, overwrites = {} }) {
	const { core, workflow: wf } = n8n();

	/** type name -> { id, name, encrypted data } */
	const store = new Map();

	function getCredentialType(typeName) {
		const entry = credentialTypes[typeName];
		if (!entry) throw new wf.UnexpectedError('Unknown credential type', { tags: { credentialType: typeName } });
		return entry.type;
	}

	class HarnessCredentialsHelper extends wf.ICredentialsHelper {
		/** Stores (encrypted) decrypted data for a credential type. */
		async setCredentials(typeName, data, { id = `cred-${typeName}`, name = `${typeName} (test)` } = {}) {
			getCredentialType(typeName);
			// n8n 2.x encrypts with keys from its database (EncryptionKeyProxy); kept as JSON here.
			store.set(typeName, { id, name, data: JSON.stringify(data) });
		}

		getParentTypes(typeName) {
			const type = getCredentialType(typeName);
			if (!type.extends) return [];
			const types = [];
			for (const parent of type.extends) {
				types.push(parent);
				if (credentialTypes[parent]) types.push(...this.getParentTypes(parent));
			}
			return types;
		}

		isCredentialUsableByNode(credentialType, nodeType) {
			const typeDef = credentialTypes[credentialType]?.type;
			if (!typeDef || !typeDef.restrictToSupportedNodes) return true;
			try {
				const { description } = nodeTypes.getByName(nodeType);
				return (description.credentials ?? []).some((c) => c.name === credentialType);
			} catch {
				return false;
			}
		}

		async authenticate(credentials, typeName, incomingRequestOptions, workflow, node) {
			const requestOptions = incomingRequestOptions;
			const credentialType = getCredentialType(typeName);
			if (credentialType.authenticate) {
				if (typeof credentialType.authenticate === 'function') {
					return await credentialType.authenticate(credentials, requestOptions);
				}
				if (typeof credentialType.authenticate === 'object') {
					if (!workflow || !node) {
						throw new wf.UnexpectedError('Workflow and node are required for declarative credential authentication');
					}
					const { authenticate } = credentialType;
					if (requestOptions.headers === undefined) requestOptions.headers = {};
					if (authenticate.type === 'generic') {
						for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
							for (const [key, value] of Object.entries(outerValue)) {
								const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
								const valueResolved = this.resolveValue(value, { $credentials: credentials }, workflow, node);
								if (!requestOptions[outerKey]) requestOptions[outerKey] = {};
								requestOptions[outerKey][keyResolved] = valueResolved;
							}
						}
					}
				}
			}
			return requestOptions;
		}

		async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
			const credentialType = getCredentialType(typeName);
			const expirableProperty = credentialType.properties.find(
				(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
			);
			if (expirableProperty?.name === undefined) return undefined;
			if (typeof credentialType.preAuthentication === 'function') {
				if (credentials[expirableProperty.name] === '' || credentialsExpired) {
					const output = await credentialType.preAuthentication.call(helpers, credentials);
					if (output[expirableProperty.name] === undefined) return undefined;
					if (node.credentials) {
						const nodeCredentials = node.credentials[credentialType.name];
						const storedData = await (await this.getCredentials(nodeCredentials, credentialType.name)).getData();
						const dataToPersist = { ...storedData };
						for (const [key, value] of Object.entries(output)) {
							if (key === expirableProperty.name || !wf.isExpression(storedData[key])) dataToPersist[key] = value;
						}
						await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
						return Object.assign(credentials, output);
					}
				}
			}
			return undefined;
		}

		async runPreAuthentication(helpers, credentials, typeName) {
			const credentialType = getCredentialType(typeName);
			if (typeof credentialType.preAuthentication !== 'function') return undefined;
			const output = await credentialType.preAuthentication.call(helpers, credentials);
			return output ?? undefined;
		}

		resolveValue(parameterValue, additionalKeys, workflow, node) {
			if (!wf.isExpression(parameterValue)) return parameterValue;
			const returnValue = workflow.expression.getSimpleParameterValue(node, parameterValue, 'internal', additionalKeys, undefined, '');
			if (!returnValue) return '';
			return returnValue.toString();
		}

		async getCredentials(nodeCredential, type) {
			const entry = store.get(type);
			if (!entry) throw credentialNotFound(nodeCredential?.id, type);
			return {
				id: entry.id,
				name: entry.name,
				type,
				data: entry.data,
				getData: async () => JSON.parse(entry.data),
				getDataToSave: () => ({ id: entry.id, name: entry.name, type, data: entry.data }),
				setData: async (data) => void (entry.data = JSON.stringify(data)),
				updateData: async (toUpdate, toDelete = []) => {
					const current = JSON.parse(entry.data);
					for (const key of toDelete) delete current[key];
					entry.data = JSON.stringify({ ...current, ...toUpdate });
				},
			};
		}

		async getDecrypted(additionalData, nodeCredentials, type, mode, executeData, raw, expressionResolveValues) {
			const credentials = await this.getCredentials(nodeCredentials, type);
			const decryptedDataOriginal = await credentials.getData();
			if (raw === true) return decryptedDataOriginal;
			return await this.applyDefaultsAndOverwrites(additionalData, decryptedDataOriginal, type, mode, executeData, expressionResolveValues);
		}

		async applyDefaultsAndOverwrites(additionalData, decryptedDataOriginal, type, mode, executeData, expressionResolveValues) {
			const credentialsProperties = this.getCredentialsProperties(type);
			const storedData = applyOverwrite(type, { ...decryptedDataOriginal });
			let decryptedData = wf.NodeHelpers.getNodeParameters(credentialsProperties, storedData, true, false, null, null);
			if (decryptedDataOriginal.oauthTokenData !== undefined) decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
			const additionalKeys = core.getAdditionalKeys(additionalData, mode, null, { isCredential: true });
			if (expressionResolveValues) {
				try {
					decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
						decryptedData,
						expressionResolveValues.runExecutionData,
						expressionResolveValues.runIndex,
						expressionResolveValues.itemIndex,
						expressionResolveValues.node.name,
						expressionResolveValues.connectionInputData,
						mode,
						additionalKeys,
						executeData,
						false,
						decryptedData,
					);
				} catch (e) {
					e.message += ' [Error resolving credentials]';
					throw e;
				}
			} else {
				const workflow = new wf.Workflow({ nodes: [mockNode], connections: {}, active: false, nodeTypes: mockNodeTypes });
				decryptedData = workflow.expression.getComplexParameterValue(mockNode, decryptedData, mode, additionalKeys, undefined, undefined, decryptedData);
			}
			return decryptedData;
		}

		async updateCredentials(nodeCredentials, type, data) {
			const entry = store.get(type);
			if (!entry) throw credentialNotFound(nodeCredentials?.id, type);
			await this.setCredentials(type, data, { id: entry.id, name: entry.name });
		}

		async updateCredentialsOauthTokenData(nodeCredentials, type, data) {
			const credentials = await this.getCredentials(nodeCredentials, type);
			await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		}

		getCredentialsProperties(type) {
			const credentialTypeData = getCredentialType(type);
			if (credentialTypeData.extends === undefined) {
				if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
					return [
						...credentialTypeData.properties,
						{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
					];
				}
				return credentialTypeData.properties;
			}
			const combineProperties = [];
			for (const credentialsTypeName of credentialTypeData.extends) {
				wf.NodeHelpers.mergeNodeProperties(combineProperties, this.getCredentialsProperties(credentialsTypeName));
			}
			wf.NodeHelpers.mergeNodeProperties(combineProperties, credentialTypeData.properties);
			return combineProperties;
		}
	}

	/** packages/cli/src/credentials-overwrites.ts applyOverwrite: fills only what the stored data leaves empty. */
	function applyOverwrite(type, data) {
		for (const [key, value] of Object.entries(overwrites[type] ?? {})) {
			if (value !== '' && (data[key] === null || data[key] === undefined || data[key] === '')) data[key] = value;
		}
		return data;
	}

	/** Node types for the mock workflow credential expressions are resolved in (no node types). */
	const mockNodeTypes = {
		getByName: () => undefined,
		getByNameAndVersion: () => undefined,
		getKnownTypes: () => ({}),
	};

	return new HarnessCredentialsHelper();
}

module.exports = { createCredentialsHelper };
