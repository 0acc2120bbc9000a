import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

// `name` and `apiKey` match Legnext's own published node, so credentials made for it keep working.
export class LegnextApi implements ICredentialType {
	name = 'legnextApi';

	displayName = 'Legnext API';

	icon: Icon = {
		light: 'file:../nodes/Legnext/legnext.svg',
		dark: 'file:../nodes/Legnext/legnext.dark.svg',
	};

	documentationUrl = 'https://github.com/legnext/n8n-nodes-legnext#the-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your key from Legnext’s API Keys page (legnext.ai/app/api-keys), sent as the x-api-key header',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.legnext.ai',
			description:
				'Leave as is unless you reach Legnext through a proxy',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. If your Legnext account signs its callbacks, its webhook secret: callbacks to the Legnext Trigger and to "Pause Until Callback" must then carry a valid X-Legnext-Signature made with it, signed within the last 5 minutes. Leave empty for unsigned callbacks (the URL’s token and a re-read of the job from the API still guard them).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// n8n reports a connection failure with its own error code (ECONNREFUSED, ENOTFOUND…), so
	// only the answers of a reachable Legnext need words of their own.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/account/balance',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Legnext refused the API key. Copy the key again from the Legnext dashboard (API Keys).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Legnext refused this key for the account API. Check that the key is active.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The Base URL answered but is not the Legnext API. Use https://api.legnext.ai unless you use a proxy.',
				},
			},
		],
	};
}
